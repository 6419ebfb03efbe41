import type { FlowDay } from "@taskflow/contracts";
import { ChartFrame } from "./chart-frame";
import { chart, niceMax, plotWidth, shortDay, yOf } from "./chart-scale";
import { ValueAxis } from "./value-axis";

/** Bottom to top: what is done under what waits, as cumulative flow diagrams are read. */
const layers = [
  { key: "completed", label: "Completed", className: "fill-emerald-500" },
  { key: "review", label: "In review", className: "fill-amber-400" },
  { key: "in_progress", label: "In progress", className: "fill-sky-500" },
  { key: "blocked", label: "Blocked", className: "fill-rose-500" },
  { key: "pending", label: "Pending", className: "fill-slate-400" },
] as const;

/** How many tasks were in each status at the end of each day, as stacked areas. */
export function CumulativeFlowChart({ days, showTable }: { days: FlowDay[]; showTable: boolean }) {
  const last = days.at(-1);
  const hasTasks = days.some((d) => layers.some((l) => d[l.key] > 0));
  const summary =
    last && hasTasks
      ? `Tasks by status per day from ${shortDay(days[0]?.date ?? last.date)} to ${shortDay(last.date)}; on the last day ${layers
          .map((l) => `${last[l.key]} ${l.label.toLowerCase()}`)
          .join(", ")}.`
      : "No tasks in this project in these days yet: create a task and its status changes show here.";
  const max = niceMax(Math.max(...days.map((d) => layers.reduce((sum, l) => sum + d[l.key], 0))));
  // One day alone still spans the width, so it reads as a band rather than a line.
  const xs =
    days.length === 1
      ? [chart.left, chart.left + plotWidth]
      : days.map((_, i) => chart.left + (i / (days.length - 1)) * plotWidth);
  const points = days.length === 1 ? [days[0], days[0]] : days;
  const below = points.map(() => 0);
  const areas = layers.map((layer) => {
    const lower = [...below];
    points.forEach((day, i) => {
      below[i] = (below[i] ?? 0) + (day ? day[layer.key] : 0);
    });
    const top = xs.map((x, i) => `${x},${yOf(below[i] ?? 0, max)}`);
    const bottom = xs.map((x, i) => `${x},${yOf(lower[i] ?? 0, max)}`).reverse();
    return { ...layer, points: [...top, ...bottom].join(" ") };
  });
  const labelled = days.length > 1 ? [0, Math.floor((days.length - 1) / 2), days.length - 1] : [0];
  return (
    <ChartFrame
      id="cumulative-flow"
      title="Cumulative flow"
      summary={summary}
      legend={layers.map((l) => ({ label: l.label, swatchClass: l.className })).reverse()}
      columns={[{ label: "Day" }, ...[...layers].reverse().map((l) => ({ label: l.label, numeric: true }))]}
      rows={hasTasks ? days.map((d) => [d.date, ...[...layers].reverse().map((l) => d[l.key])]) : []}
      showTable={showTable}
    >
      <svg
        viewBox={`0 0 ${chart.width} ${chart.height}`}
        role="img"
        aria-label={summary}
        className="h-auto w-full"
      >
        <ValueAxis max={max} />
        {areas.map((area) => (
          <polygon key={area.key} points={area.points} className={`${area.className} opacity-90`} />
        ))}
        {labelled.map((i) => (
          <text
            key={i}
            x={days.length === 1 ? chart.left + plotWidth / 2 : (xs[i] ?? 0)}
            y={chart.height - 8}
            textAnchor={
              days.length === 1 ? "middle" : i === 0 ? "start" : i === days.length - 1 ? "end" : "middle"
            }
            className="fill-slate-500 text-[11px] dark:fill-slate-400"
          >
            {shortDay(days[i]?.date ?? "")}
          </text>
        ))}
      </svg>
    </ChartFrame>
  );
}
