import type { ThroughputWeek } from "@taskflow/contracts";
import { ChartFrame } from "./chart-frame";
import { shortDay } from "./chart-scale";
import { ColumnChart } from "./column-chart";

const series = [
  { label: "People", className: "fill-indigo-500" },
  { label: "Agents", className: "fill-fuchsia-500" },
];

/** Completions per ISO week, people's under agents'. */
export function ThroughputChart({ weeks, showTable }: { weeks: ThroughputWeek[]; showTable: boolean }) {
  const people = weeks.reduce((n, w) => n + w.people, 0);
  const agents = weeks.reduce((n, w) => n + w.agents, 0);
  const first = weeks[0]?.weekStart ?? "";
  const summary =
    people + agents > 0
      ? `Completions per week over ${weeks.length} weeks from the week of ${shortDay(first)}: ${people} by people, ${agents} by agents.`
      : `Nothing completed in the ${weeks.length} weeks from the week of ${shortDay(first)}: completed tasks show here, split into people and agents.`;
  return (
    <ChartFrame
      id="throughput"
      title="Throughput per week"
      summary={summary}
      legend={series.map((s) => ({ label: s.label, swatchClass: s.className }))}
      columns={[{ label: "Week of" }, { label: "People", numeric: true }, { label: "Agents", numeric: true }]}
      rows={people + agents > 0 ? weeks.map((w) => [w.weekStart, w.people, w.agents]) : []}
      showTable={showTable}
    >
      <ColumnChart
        label={summary}
        mode="stacked"
        series={series}
        columns={weeks.map((w) => ({ weekStart: w.weekStart, values: [w.people, w.agents] }))}
      />
    </ChartFrame>
  );
}
