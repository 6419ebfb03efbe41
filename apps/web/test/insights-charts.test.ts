import { describe, expect, it } from "vitest";
import { niceMax, ticks } from "../src/components/insights/chart-scale";
import { formatDuration } from "../src/lib/duration";

describe("the insights charts' scales and words", () => {
  it("rounds an axis up to 1, 2 or 5 × 10ⁿ and puts at most six whole gridlines on it", () => {
    expect([0, 1, 3, 7, 12, 480].map(niceMax)).toEqual([1, 1, 5, 10, 20, 500]);
    expect(ticks(1)).toEqual([0, 1]);
    expect(ticks(5)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(ticks(10)).toEqual([0, 2, 4, 6, 8, 10]);
    expect(ticks(500)).toEqual([0, 100, 200, 300, 400, 500]);
  });

  it("says a duration as people do", () => {
    expect(formatDuration(null)).toBe("—");
    expect(formatDuration(0.4)).toBe("under 1 s");
    expect(formatDuration(45)).toBe("45 s");
    expect(formatDuration(720)).toBe("12 min");
    expect(formatDuration(7_200)).toBe("2 h");
    expect(formatDuration(7_500)).toBe("2 h 5 min");
    expect(formatDuration(86_400)).toBe("1 d");
    expect(formatDuration(100_800)).toBe("1 d 4 h");
  });
});
