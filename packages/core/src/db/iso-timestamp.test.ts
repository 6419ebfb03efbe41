import { describe, expect, it } from "vitest";
import { isoTimestamp } from "./statements.ts";

/** What Date#toISOString writes for PostgreSQL's text of a UTC timestamptz, built the slow, sure way. */
function viaDate(text: string): string {
  const [date, rest] = text.split(" ") as [string, string];
  const [clock, fraction = ""] = rest.replace(/\+00$/, "").split(".") as [string, string?];
  return new Date(`${date}T${clock}.${fraction.padEnd(3, "0").slice(0, 3)}Z`).toISOString();
}

describe("isoTimestamp", () => {
  it("writes every form PostgreSQL gives a UTC timestamptz (0 to 6 fraction digits) as Date#toISOString does", () => {
    const forms = ["", ".1", ".12", ".123", ".1234", ".12345", ".123456", ".000001", ".999999"];
    for (const day of ["2026-03-01", "1999-12-31", "2100-01-01"]) {
      for (const clock of ["00:00:00", "09:30:05", "23:59:59"]) {
        for (const fraction of forms) {
          const text = `${day} ${clock}${fraction}+00`;
          expect(isoTimestamp(text), text).toBe(viaDate(text));
        }
      }
    }
  });

  it("reads another session time zone through a Date", () => {
    expect(isoTimestamp("2026-03-01 11:30:00.123456+02")).toBe("2026-03-01T09:30:00.123Z");
  });
});
