import { describe, expect, it } from "vitest";
import { taskFields } from "../src/lib/forms.ts";
import {
  dayBoundary,
  dueInWords,
  formatInZone,
  fromZonedField,
  isOverdue,
  relativeToNow,
  toZonedField,
} from "../src/lib/time-zone.ts";
import { resolveTimeZone } from "../src/lib/time-zone-choice.ts";

describe("which zone a person reads dates in", () => {
  it("is their choice, else the browser's, else UTC; names nobody knows are passed over", () => {
    expect(resolveTimeZone("Asia/Tokyo", "Europe/Paris")).toBe("Asia/Tokyo");
    expect(resolveTimeZone(null, "Europe/Paris")).toBe("Europe/Paris");
    expect(resolveTimeZone(null, "europe/paris")).toBe("Europe/Paris");
    expect(resolveTimeZone("Mars/Base", "Europe/Paris")).toBe("Europe/Paris");
    expect(resolveTimeZone(undefined, "+09:00")).toBe("UTC");
    expect(resolveTimeZone(undefined, "<script>")).toBe("UTC");
    expect(resolveTimeZone(undefined, undefined)).toBe("UTC");
  });
});

describe("dates shown in a zone", () => {
  it("writes the instant as the zone's clock reads it, the zone named", () => {
    expect(formatInZone("2026-05-01T09:30:00.000Z", "UTC")).toBe("1 May 2026, 09:30 UTC");
    expect(formatInZone("2026-05-01T09:30:00.000Z", "Asia/Tokyo")).toBe("1 May 2026, 18:30 GMT+9");
    // Across midnight, the day is the zone's.
    expect(formatInZone("2026-05-01T20:00:00.000Z", "Asia/Tokyo")).toBe("2 May 2026, 05:00 GMT+9");
    expect(formatInZone("2026-01-15T12:00:00.000Z", "America/New_York")).toMatch(
      /^15 Jan 2026, 07:00 (EST|GMT-5)$/,
    );
  });
});

describe("datetime-local fields in a zone", () => {
  it("round-trips an instant through the field in any zone", () => {
    for (const zone of ["UTC", "Asia/Tokyo", "America/New_York", "Asia/Kolkata", "Pacific/Chatham"]) {
      for (const iso of [
        "2026-05-01T09:30:00.000Z",
        "2026-03-08T07:15:00.000Z",
        "2026-11-01T05:45:00.000Z",
      ]) {
        expect(fromZonedField(toZonedField(iso, zone), zone), `${zone} ${iso}`).toBe(iso);
      }
    }
  });

  it("reads what a person typed as their zone's wall clock", () => {
    expect(fromZonedField("2026-05-01T18:30", "Asia/Tokyo")).toBe("2026-05-01T09:30:00.000Z");
    expect(toZonedField("2026-05-01T09:30:00.000Z", "Asia/Tokyo")).toBe("2026-05-01T18:30");
    expect(fromZonedField("2026-05-01T09:30", "UTC")).toBe("2026-05-01T09:30:00.000Z");
    expect(fromZonedField("2026-07-01T12:00", "Europe/Paris")).toBe("2026-07-01T10:00:00.000Z");
    expect(fromZonedField("2026-01-01T12:00", "Europe/Paris")).toBe("2026-01-01T11:00:00.000Z");
  });

  it("settles daylight-saving edges: a repeated hour is the first, a skipped one is read as clocks do", () => {
    // Paris, 25 Oct 2026: 02:30 happens twice (CEST then CET): the first, 00:30 UTC.
    expect(fromZonedField("2026-10-25T02:30", "Europe/Paris")).toBe("2026-10-25T00:30:00.000Z");
    // Paris, 29 Mar 2026: 02:30 never happens; read with the offset before the change (03:30 CEST).
    expect(fromZonedField("2026-03-29T02:30", "Europe/Paris")).toBe("2026-03-29T01:30:00.000Z");
  });

  it("passes on what it cannot read, so the API names the field; empty is no date", () => {
    expect(fromZonedField("", "Asia/Tokyo")).toBeNull();
    expect(fromZonedField("soon", "Asia/Tokyo")).toBe("soon");
    expect(fromZonedField("2026-02-31T10:00", "Asia/Tokyo")).toBe("2026-02-31T10:00");
    expect(fromZonedField("2026-05-01T09:30:00Z", "Asia/Tokyo")).toBe("2026-05-01T09:30:00.000Z");
    expect(toZonedField(null, "Asia/Tokyo")).toBe("");
  });

  it("reads a task form's due date in the zone the form was shown in", () => {
    const form = new FormData();
    form.set("title", "Launch");
    form.set("dueAt", "2026-05-01T18:30");
    form.set("timeZone", "Asia/Tokyo");
    expect(taskFields(form).dueAt).toBe("2026-05-01T09:30:00.000Z");
    // A forged zone is not guessed at: the API refuses the offset-less value, naming dueAt.
    form.set("timeZone", "Mars/Base");
    expect(taskFields(form).dueAt).toBe("2026-05-01T18:30");
    form.delete("timeZone");
    expect(taskFields(form).dueAt).toBe("2026-05-01T18:30:00.000Z");
  });
});

describe("days in a zone (the list's due filters)", () => {
  it("starts and ends a day at the zone's midnight", () => {
    expect(dayBoundary("2026-05-01", "Asia/Tokyo", "start")).toBe("2026-04-30T15:00:00.000Z");
    expect(dayBoundary("2026-05-01", "Asia/Tokyo", "end")).toBe("2026-05-01T15:00:00.000Z");
    expect(dayBoundary("2026-12-31", "UTC", "end")).toBe("2027-01-01T00:00:00.000Z");
    expect(dayBoundary("2026-05-01", "America/New_York", "start")).toBe("2026-05-01T04:00:00.000Z");
  });
});

describe("relative times", () => {
  const now = new Date("2026-05-01T12:00:00.000Z");
  it("says how far a moment is, rounded down to whole units", () => {
    expect(relativeToNow("2026-05-01T15:30:00.000Z", now)).toBe("in 3 hours");
    expect(relativeToNow("2026-04-29T11:00:00.000Z", now)).toBe("2 days ago");
    expect(relativeToNow("2026-05-02T18:00:00.000Z", now)).toBe("in 1 day");
    expect(relativeToNow("2026-05-01T11:59:30.000Z", now)).toBe("just now");
    expect(relativeToNow("2026-05-20T12:00:00.000Z", now)).toBe("in 2 weeks");
  });

  it("words a due date, overdue only while the task is open", () => {
    expect(dueInWords("2026-05-01T15:00:00.000Z", now)).toBe("due in 3 hours");
    expect(dueInWords("2026-04-29T10:00:00.000Z", now)).toBe("2 days overdue");
    expect(dueInWords("2026-05-01T11:00:00.000Z", now)).toBe("1 hour overdue");
    expect(dueInWords("2026-04-29T10:00:00.000Z", now, true)).toBe("due 2 days ago");
    expect(isOverdue("2026-04-29T10:00:00.000Z", now)).toBe(true);
    expect(isOverdue("2026-04-29T10:00:00.000Z", now, true)).toBe(false);
    expect(isOverdue("2026-05-02T10:00:00.000Z", now)).toBe(false);
  });
});
