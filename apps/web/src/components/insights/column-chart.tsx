import { chart, niceMax, plotHeight, plotWidth, shortDay, yOf } from "./chart-scale";
import { ValueAxis } from "./value-axis";

export interface ColumnSeries {
  label: string;
  /** Tailwind fill classes of its bars (and legend swatch). */
  className: string;
}

/**
 * Columns over time (one per ISO week): each column's series stacked (throughput: people under agents) or
 * side by side (an agent's claims and completions). Drawn once on the server; an image to assistive
 * technology, whose numbers are in the table beside it.
 */
export function ColumnChart({
  label,
  columns,
  series,
  mode,
}: {
  label: string;
  columns: { weekStart: string; values: number[] }[];
  series: ColumnSeries[];
  mode: "stacked" | "grouped";
}) {
  const total = (values: number[]) =>
    mode === "stacked" ? values.reduce((a, b) => a + b, 0) : Math.max(...values);
  const max = niceMax(Math.max(...columns.map((c) => total(c.values))));
  const slot = plotWidth / Math.max(1, columns.length);
  const labelEvery = Math.ceil(columns.length / 8);
  return (
    <svg
      viewBox={`0 0 ${chart.width} ${chart.height}`}
      role="img"
      aria-label={label}
      className="h-auto w-full"
    >
      <ValueAxis max={max} />
      {columns.map((column, i) => {
        const x0 = chart.left + i * slot + slot * 0.15;
        const width = slot * 0.7;
        let stackedBase = 0;
        return (
          <g key={column.weekStart}>
            {column.values.map((value, s) => {
              const serie = series[s];
              if (!serie || value === 0) return null;
              if (mode === "stacked") {
                const y = yOf(stackedBase + value, max);
                const height = yOf(stackedBase, max) - y;
                stackedBase += value;
                return (
                  <rect
                    key={serie.label}
                    x={x0}
                    y={y}
                    width={width}
                    height={height}
                    className={serie.className}
                  />
                );
              }
              const barWidth = width / column.values.length;
              const y = yOf(value, max);
              return (
                <rect
                  key={serie.label}
                  x={x0 + s * barWidth}
                  y={y}
                  width={barWidth - 1}
                  height={chart.top + plotHeight - y}
                  className={serie.className}
                />
              );
            })}
            {i % labelEvery === 0 ? (
              <text
                x={x0 + width / 2}
                y={chart.height - 8}
                textAnchor="middle"
                className="fill-slate-500 text-[11px] dark:fill-slate-400"
              >
                {shortDay(column.weekStart)}
              </text>
            ) : null}
          </g>
        );
      })}
    </svg>
  );
}
