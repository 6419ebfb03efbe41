import type { InsightsQuery } from "@taskflow/contracts";

const dayMs = 86_400_000;

/** The days and weeks one insights request reads, resolved once from its query (defaults filled in). */
export interface InsightWindow {
  /** First and last day included (UTC, YYYY-MM-DD). */
  from: string;
  to: string;
  /** Start of `from` and start of the day after `to`: the half-open range the queries read. */
  start: Date;
  end: Date;
  /** Every day of the window, in order. */
  days: string[];
  /** Mondays of the ISO weeks of throughput, ending with the week of `to`, and the range they cover. */
  weekStarts: string[];
  weeksStart: Date;
}

function dayText(date: Date): string {
  return date.toISOString().slice(0, 10);
}

function startOfDay(day: string): Date {
  return new Date(`${day}T00:00:00.000Z`);
}

/** Monday 00:00 UTC of the ISO week holding `date` (PostgreSQL's date_trunc('week') agrees). */
export function mondayOf(date: Date): Date {
  const weekday = (date.getUTCDay() + 6) % 7;
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate() - weekday));
}

/** Fills in the defaults (the 30 days ending today, 12 weeks) against `now`. */
export function resolveInsightWindow(query: Partial<InsightsQuery>, now: Date = new Date()): InsightWindow {
  const to = query.to ?? dayText(now);
  const from = query.from ?? dayText(new Date(startOfDay(to).getTime() - 29 * dayMs));
  const start = startOfDay(from);
  const end = new Date(startOfDay(to).getTime() + dayMs);
  const days: string[] = [];
  for (let t = start.getTime(); t < end.getTime(); t += dayMs) days.push(dayText(new Date(t)));
  const weeks = query.weeks ?? 12;
  const lastMonday = mondayOf(startOfDay(to));
  const weekStarts: string[] = [];
  for (let i = weeks - 1; i >= 0; i--)
    weekStarts.push(dayText(new Date(lastMonday.getTime() - i * 7 * dayMs)));
  return { from, to, start, end, days, weekStarts, weeksStart: startOfDay(weekStarts[0] ?? from) };
}
