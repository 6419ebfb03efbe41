import type { AgentWeek } from "@taskflow/contracts";
import { activityBars } from "./agent-activity-chart";
import { ChartFrame } from "./chart-frame";
import { shortDay } from "./chart-scale";
import { ColumnChart } from "./column-chart";

/** An agent's claims, completions, rejections and stop requests per ISO week, side by side. */
export function AgentWeeksChart({ weeks, showTable }: { weeks: AgentWeek[]; showTable: boolean }) {
  const any = weeks.some((w) => activityBars.some((b) => w[b.key] > 0));
  const this_ = weeks.at(-1);
  const summary =
    any && this_
      ? `Per week over ${weeks.length} weeks; the week of ${shortDay(this_.weekStart)}: ${activityBars
          .map((b) => `${this_[b.key]} ${b.label.toLowerCase()}`)
          .join(", ")}.`
      : `Nothing in the ${weeks.length} weeks shown: give the agent a task (assign it, or let it claim one) and its work shows here.`;
  return (
    <ChartFrame
      id="agent-weeks"
      title="Per week"
      summary={summary}
      legend={activityBars.map((b) => ({ label: b.label, swatchClass: b.className }))}
      columns={[{ label: "Week of" }, ...activityBars.map((b) => ({ label: b.label, numeric: true }))]}
      rows={any ? weeks.map((w) => [w.weekStart, ...activityBars.map((b) => w[b.key])]) : []}
      showTable={showTable}
    >
      <ColumnChart
        label={summary}
        mode="grouped"
        series={activityBars.map((b) => ({ label: b.label, className: b.className }))}
        columns={weeks.map((w) => ({ weekStart: w.weekStart, values: activityBars.map((b) => w[b.key]) }))}
      />
    </ChartFrame>
  );
}
