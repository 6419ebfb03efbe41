import { DomainError } from "../errors.ts";

// Due dates are kept to the years 1900 to 9999. Outside them a date is a typo, not a plan, and it does
// not survive the way back from PostgreSQL: the driver hands the timestamp over as text that Drizzle
// parses with JavaScript's Date, which reads year 0001 as 2001, year 0030 as no date at all, and a
// five-digit year not at all. (Found by schemathesis: a task due in year 30 was stored, then its read
// back failed with a 500.)
const EARLIEST = Date.UTC(1900, 0, 1);
const LATEST = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/** Whether `date` lies in the years a due date may have. */
export function isStorableDueDate(date: Date): boolean {
  const time = date.getTime();
  return time >= EARLIEST && time <= LATEST;
}

/** A client's `dueAt` as a Date; 422 naming `field` when it lies outside the years 1900 to 9999. */
export function parseDueDate(dueAt: string, field = "body.dueAt"): Date {
  const date = new Date(dueAt);
  if (!isStorableDueDate(date)) {
    throw new DomainError("invalid_input", "a due date must lie in the years 1900 to 9999", {
      issues: [{ field, message: "must be between 1900-01-01 and 9999-12-31 (UTC)" }],
    });
  }
  return date;
}
