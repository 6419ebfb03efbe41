/**
 * A person's digest goes out once a day from the digest hour of *their* day: 08:00 in Tokyo is 23:00 UTC the
 * day before, and a digest dated by UTC would reach them in the evening, labelled with the wrong date. The zone
 * is the one they chose (`PATCH /api/workers/me/preferences`), UTC until they choose one.
 */

// One formatter per zone: building an Intl.DateTimeFormat costs far more than using one, and a tick asks for
// the same few zones again and again.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-CA", {
      timeZone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      hourCycle: "h23",
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** The local date (`YYYY-MM-DD`) and hour (0–23) of `now` in `timeZone`. */
export function localDayAndHour(now: Date, timeZone: string): { day: string; hour: number } {
  let parts: Intl.DateTimeFormatPart[];
  try {
    parts = formatterFor(timeZone).formatToParts(now);
  } catch {
    // The API stores only zones Intl knows; a zone this Node's ICU data no longer has reads as UTC, so one
    // person's odd preference never stops everyone's digest.
    parts = formatterFor("UTC").formatToParts(now);
  }
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? "";
  return { day: `${part("year")}-${part("month")}-${part("day")}`, hour: Number(part("hour")) };
}

/** The day a person's digest at `now` belongs to: their local date once their digest hour has come; else null. */
export function digestDayOf(now: Date, digestHour: number, timeZone: string | null): string | null {
  const local = localDayAndHour(now, timeZone ?? "UTC");
  return local.hour < digestHour ? null : local.day;
}
