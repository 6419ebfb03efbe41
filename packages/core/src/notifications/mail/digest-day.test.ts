import { describe, expect, it } from "vitest";
import { digestDayOf, localDayAndHour } from "./digest-day.ts";

describe("a person's digest day", () => {
  const lateUtcEvening = new Date("2031-06-05T23:05:00.000Z");

  it("is their local date once their local digest hour has come", () => {
    expect(digestDayOf(lateUtcEvening, 8, "Asia/Tokyo")).toBe("2031-06-06"); // 08:05 on the 6th
    expect(digestDayOf(lateUtcEvening, 8, null)).toBe("2031-06-05"); // 23:05 UTC
    expect(digestDayOf(lateUtcEvening, 8, "America/Los_Angeles")).toBe("2031-06-05"); // 16:05 PDT
  });

  it("is none before their digest hour", () => {
    expect(digestDayOf(new Date("2031-06-05T22:55:00.000Z"), 8, "Asia/Tokyo")).toBeNull(); // 07:55
    expect(digestDayOf(new Date("2031-06-05T07:59:00.000Z"), 8, "UTC")).toBeNull();
  });

  it("follows daylight saving time (New York: UTC-5 in winter, UTC-4 in summer)", () => {
    expect(localDayAndHour(new Date("2031-01-15T13:00:00.000Z"), "America/New_York")).toEqual({
      day: "2031-01-15",
      hour: 8,
    });
    expect(localDayAndHour(new Date("2031-07-15T12:00:00.000Z"), "America/New_York")).toEqual({
      day: "2031-07-15",
      hour: 8,
    });
  });

  it("reads a zone it does not know as UTC rather than stopping everyone's digest", () => {
    expect(localDayAndHour(lateUtcEvening, "Mars/Olympus_Mons")).toEqual({ day: "2031-06-05", hour: 23 });
  });
});
