/** Shared geometry of the insights' SVG charts: one drawing size, scaled to the page by the viewBox. */
export const chart = { width: 640, height: 240, left: 40, right: 12, top: 12, bottom: 28 } as const;

export const plotWidth = chart.width - chart.left - chart.right;
export const plotHeight = chart.height - chart.top - chart.bottom;

/** A round top for a value axis (1, 2, 5 × 10ⁿ), so gridlines fall on whole numbers. */
export function niceMax(value: number): number {
  if (value <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 5, 10]) if (value <= step * power) return step * power;
  return 10 * power;
}

/** Gridline values from 0 to `max`: at most six, at a whole, round step (1, 2, 5 × 10ⁿ). */
export function ticks(max: number): number[] {
  let step = 1;
  for (let power = 1; max / step > 5; power *= 10) {
    step = [1, 2, 5, 10].map((m) => m * power).find((s) => max / s <= 5) ?? 10 * power;
  }
  const values: number[] = [];
  for (let v = 0; v <= max; v += step) values.push(v);
  return values;
}

/** y of a value on a 0…max axis. */
export function yOf(value: number, max: number): number {
  return chart.top + plotHeight - (value / max) * plotHeight;
}

/** `2026-03-02` as `Mar 2` (UTC: the day the API counted). */
export function shortDay(day: string): string {
  return new Date(`${day}T00:00:00Z`).toLocaleDateString("en", {
    month: "short",
    day: "numeric",
    timeZone: "UTC",
  });
}
