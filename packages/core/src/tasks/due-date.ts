import { dateOutOfRange, isInDateRange } from "@taskflow/contracts";
import { DomainError } from "../errors.ts";

// Dates lie in the years 1900 to 9999 (UTC): the one rule is contracts' isInDateRange, which every date
// input's schema (DateInput) applies at the edge. The domain applies it again to what it is handed and to
// what it computes (a recurring series' next due date), so no path can store or compare a date outside.

/** Whether `date` lies in the years a date may have (a due date to store, a next occurrence's). */
export function isStorableDueDate(date: Date): boolean {
  return isInDateRange(date);
}

/** A client's date as a Date; 422 naming `field` when it lies outside the years 1900 to 9999. */
export function parseDateInput(value: string, field: string): Date {
  const date = new Date(value);
  if (!isInDateRange(date)) {
    throw new DomainError("invalid_input", "a date must lie in the years 1900 to 9999", {
      issues: [{ field, message: dateOutOfRange }],
    });
  }
  return date;
}
