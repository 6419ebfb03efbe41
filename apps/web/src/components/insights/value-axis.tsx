import { chart, ticks, yOf } from "./chart-scale";

/** Horizontal gridlines with their values on the left. */
export function ValueAxis({ max, format = String }: { max: number; format?: (value: number) => string }) {
  return (
    <g>
      {ticks(max).map((value) => (
        <g key={value}>
          <line
            x1={chart.left}
            x2={chart.width - chart.right}
            y1={yOf(value, max)}
            y2={yOf(value, max)}
            className="stroke-slate-200 dark:stroke-slate-700"
          />
          <text
            x={chart.left - 6}
            y={yOf(value, max) + 4}
            textAnchor="end"
            className="fill-slate-500 text-[11px] dark:fill-slate-400"
          >
            {format(value)}
          </text>
        </g>
      ))}
    </g>
  );
}
