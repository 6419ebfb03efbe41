import { describe, expect, it } from "vitest";
import { nextDueDate } from "./next-due-date.ts";

const at = (iso: string) => new Date(iso);
const next = (pattern: Parameters<typeof nextDueDate>[0], iso: string) =>
  nextDueDate(pattern, at(iso)).toISOString();

describe("next due date of a recurring task", () => {
  it("adds an hour, a day, a week or two", () => {
    expect(next("hourly", "2026-12-31T23:30:00.000Z")).toBe("2027-01-01T00:30:00.000Z");
    expect(next("daily", "2026-02-28T09:00:00.000Z")).toBe("2026-03-01T09:00:00.000Z");
    expect(next("weekly", "2026-12-28T09:00:00.000Z")).toBe("2027-01-04T09:00:00.000Z");
    expect(next("biweekly", "2026-12-28T09:00:00.000Z")).toBe("2027-01-11T09:00:00.000Z");
  });

  it("skips weekends for weekdays", () => {
    // 2026-12-04 is a Friday.
    expect(next("weekdays", "2026-12-04T17:00:00.000Z")).toBe("2026-12-07T17:00:00.000Z");
    expect(next("weekdays", "2026-12-05T17:00:00.000Z")).toBe("2026-12-07T17:00:00.000Z");
    expect(next("weekdays", "2026-12-06T17:00:00.000Z")).toBe("2026-12-07T17:00:00.000Z");
    expect(next("weekdays", "2026-12-07T17:00:00.000Z")).toBe("2026-12-08T17:00:00.000Z");
  });

  it("keeps the day of the month, or the month's last day when it is shorter", () => {
    expect(next("monthly", "2026-01-15T08:00:00.000Z")).toBe("2026-02-15T08:00:00.000Z");
    expect(next("monthly", "2027-01-31T12:00:00.000Z")).toBe("2027-02-28T12:00:00.000Z");
    expect(next("monthly", "2028-01-31T12:00:00.000Z")).toBe("2028-02-29T12:00:00.000Z");
    expect(next("monthly", "2026-12-31T12:00:00.000Z")).toBe("2027-01-31T12:00:00.000Z");
    expect(next("monthly", "2026-03-31T12:00:00.000Z")).toBe("2026-04-30T12:00:00.000Z");
    expect(next("yearly", "2028-02-29T06:00:00.000Z")).toBe("2029-02-28T06:00:00.000Z");
    expect(next("yearly", "2026-11-24T06:00:00.123Z")).toBe("2027-11-24T06:00:00.123Z");
  });
});
