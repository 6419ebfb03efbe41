// A person's time zone and dates in it. Pure functions (Intl only), used on the server and in tests: dates are
// stored and sent in UTC; only what a person reads and types is in their zone.
// No import of @taskflow/contracts (zod) here: the task form's fields use this file in the browser.

/** Where the browser's own zone waits for the server (set by components/time-zone-detector.tsx). */
export const timeZoneCookie = "tf_tz";

const absoluteFormats = new Map<string, Intl.DateTimeFormat>();
function absoluteFormat(zone: string): Intl.DateTimeFormat {
  let format = absoluteFormats.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-GB", {
      day: "numeric",
      month: "short",
      year: "numeric",
      hour: "2-digit",
      minute: "2-digit",
      timeZone: zone,
      timeZoneName: "short",
    });
    absoluteFormats.set(zone, format);
  }
  return format;
}

/** "1 May 2026, 18:30 GMT+9": a moment in the zone, the zone named. */
export function formatInZone(iso: string, zone: string): string {
  return absoluteFormat(zone).format(new Date(iso));
}

interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const partFormats = new Map<string, Intl.DateTimeFormat>();
/** The wall clock in `zone` at instant `ms`. */
function wallTime(ms: number, zone: string): WallTime {
  let format = partFormats.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-US", {
      timeZone: zone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    partFormats.set(zone, format);
  }
  const parts = Object.fromEntries(format.formatToParts(new Date(ms)).map((p) => [p.type, p.value]));
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    second: Number(parts.second),
  };
}

const asUtc = (w: WallTime) => Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
/** How far `zone`'s clock is ahead of UTC at instant `ms` (whole seconds). */
function offsetAt(ms: number, zone: string): number {
  const whole = Math.floor(ms / 1000) * 1000;
  return asUtc(wallTime(whole, zone)) - whole;
}

/**
 * The instant a wall-clock time in `zone` names. A time that happens twice (clocks going back) is the earlier;
 * a time that never happens (clocks going forward) is read with the offset before the change, as clocks and
 * calendars do (02:30 on a spring-forward night is 03:30).
 */
export function zonedToInstant(wall: WallTime, zone: string): number {
  const local = asUtc(wall);
  const day = 86_400_000;
  const before = local - offsetAt(local - day, zone);
  const after = local - offsetAt(local + day, zone);
  const exact = [before, after].filter((t) => t + offsetAt(t, zone) === local);
  return exact.length > 0 ? Math.min(...exact) : before;
}

const pad = (n: number, width = 2) => String(n).padStart(width, "0");

/** An ISO instant as a `datetime-local` value in `zone` ("2026-05-01T18:30"); "" for none. */
export function toZonedField(iso: string | null | undefined, zone: string): string {
  if (!iso) return "";
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return "";
  const w = wallTime(ms, zone);
  return `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}`;
}

const fieldShape = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;

/**
 * A `datetime-local` value typed in `zone` → the ISO instant in UTC. Empty → null. A value that carries its own
 * offset is read as such; anything unreadable is passed on as typed so the API names the field.
 */
export function fromZonedField(value: string, zone: string): string | null {
  const trimmed = value.trim();
  if (!trimmed) return null;
  const match = fieldShape.exec(trimmed);
  if (!match) {
    const parsed = /[zZ]|[+-]\d\d:\d\d$/.test(trimmed) ? Date.parse(trimmed) : Number.NaN;
    return Number.isNaN(parsed) ? trimmed : new Date(parsed).toISOString();
  }
  const [year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0] = match
    .slice(1)
    .map((n) => Number(n ?? 0));
  const wall: WallTime = { year, month, day, hour, minute, second };
  const check = new Date(asUtc(wall));
  // 31 February is not a day: the API names the field rather than the dashboard moving it to March.
  if (check.getUTCMonth() + 1 !== month || check.getUTCDate() !== day || hour > 23 || minute > 59)
    return trimmed;
  return new Date(zonedToInstant(wall, zone)).toISOString();
}

/** The first instant of a day (`YYYY-MM-DD`) in `zone`, or of the day after (`end`), as ISO UTC. */
export function dayBoundary(day: string, zone: string, which: "start" | "end"): string {
  const [year = 1970, month = 1, date = 1] = day.split("-").map(Number);
  const next = which === "end" ? 1 : 0;
  const wall = new Date(Date.UTC(year, month - 1, date + next));
  return new Date(
    zonedToInstant(
      {
        year: wall.getUTCFullYear(),
        month: wall.getUTCMonth() + 1,
        day: wall.getUTCDate(),
        hour: 0,
        minute: 0,
        second: 0,
      },
      zone,
    ),
  ).toISOString();
}

const units: [Intl.RelativeTimeFormatUnit, number][] = [
  ["year", 365 * 86_400_000],
  ["month", 30 * 86_400_000],
  ["week", 7 * 86_400_000],
  ["day", 86_400_000],
  ["hour", 3_600_000],
  ["minute", 60_000],
];
// "always": 30 hours ahead is "in 1 day", never "tomorrow", which the calendar might contradict.
const relative = new Intl.RelativeTimeFormat("en", { numeric: "always" });
const durationUnit = (count: number, unit: string) => `${count} ${unit}${count === 1 ? "" : "s"}`;

/** The largest whole unit of a span ("3 hours"), rounded down so "1 day" means at least a day. */
function largestUnit(abs: number): [Intl.RelativeTimeFormatUnit, number] | null {
  for (const [unit, ms] of units) if (abs >= ms) return [unit, Math.floor(abs / ms)];
  return null;
}

/** "in 3 hours", "2 days ago", "just now": a moment relative to `now`. */
export function relativeToNow(iso: string, now: Date): string {
  const diff = Date.parse(iso) - now.getTime();
  const found = largestUnit(Math.abs(diff));
  if (!found) return diff < 0 ? "just now" : "in under a minute";
  const [unit, count] = found;
  return relative.format(diff < 0 ? -count : count, unit);
}

/** A due date in words: "due in 3 hours", "due tomorrow", "2 days overdue" (done tasks are never overdue). */
export function dueInWords(iso: string, now: Date, done = false): string {
  const diff = Date.parse(iso) - now.getTime();
  if (diff >= 0 || done) return `due ${relativeToNow(iso, now)}`;
  const found = largestUnit(-diff);
  return found ? `${durationUnit(found[1], found[0])} overdue` : "due just now";
}

/** True when a due date has passed and the task is not done: the list and the task page mark it. */
export function isOverdue(iso: string, now: Date, done = false): boolean {
  return !done && Date.parse(iso) < now.getTime();
}
