import type { RecurrencePattern } from "../db/schema/tasks.ts";

const hour = 3_600_000;
const day = 24 * hour;

/**
 * The due date of a recurring task's next occurrence: `from` advanced by one step of the pattern,
 * in UTC. `weekdays` skips Saturday and Sunday. `monthly` and `yearly` keep the day of the month,
 * or use the month's last day when it is shorter (31 Jan → 28 Feb; 29 Feb → 28 Feb next year).
 */
export function nextDueDate(pattern: RecurrencePattern, from: Date): Date {
  const t = from.getTime();
  switch (pattern) {
    case "hourly":
      return new Date(t + hour);
    case "daily":
      return new Date(t + day);
    case "weekdays": {
      let next = new Date(t + day);
      while (next.getUTCDay() === 0 || next.getUTCDay() === 6) next = new Date(next.getTime() + day);
      return next;
    }
    case "weekly":
      return new Date(t + 7 * day);
    case "biweekly":
      return new Date(t + 14 * day);
    case "monthly":
      return addMonths(from, 1);
    case "yearly":
      return addMonths(from, 12);
  }
}

function addMonths(from: Date, months: number): Date {
  const total = from.getUTCMonth() + months;
  const year = from.getUTCFullYear() + Math.floor(total / 12);
  const month = total % 12;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return new Date(
    Date.UTC(
      year,
      month,
      Math.min(from.getUTCDate(), lastDay),
      from.getUTCHours(),
      from.getUTCMinutes(),
      from.getUTCSeconds(),
      from.getUTCMilliseconds(),
    ),
  );
}
