import type { AgentActivity } from "@taskflow/contracts";
import { formatDuration } from "@/lib/duration";
import { BarRows } from "./bar-rows";
import { ChartFrame } from "./chart-frame";

export const activityBars = [
  { key: "claims", label: "Claims", className: "fill-sky-500" },
  { key: "completions", label: "Completions", className: "fill-emerald-500" },
  { key: "rejections", label: "Rejections", className: "fill-amber-500" },
  { key: "stopRequests", label: "Stop requests", className: "fill-rose-500" },
] as const;

/** Each agent's claims, completions, rejections and stop requests, with its mean lease time in the table. */
export function AgentActivityChart({
  agents,
  showTable,
  title = "Agents",
  empty = "No agent claimed, completed or was asked to stop anything here in these days.",
}: {
  agents: AgentActivity[];
  showTable: boolean;
  title?: string;
  empty?: string;
}) {
  const summary =
    agents.length > 0
      ? agents
          .map(
            (a) =>
              `${a.handle}: ${activityBars.map((b) => `${a[b.key]} ${b.label.toLowerCase()}`).join(", ")}, mean lease ${formatDuration(a.meanLeaseSeconds)}.`,
          )
          .join(" ")
      : empty;
  return (
    <ChartFrame
      id="agent-activity"
      title={title}
      summary={summary}
      legend={activityBars.map((b) => ({ label: b.label, swatchClass: b.className }))}
      columns={[
        { label: "Agent" },
        ...activityBars.map((b) => ({ label: b.label, numeric: true })),
        { label: "Mean lease time", numeric: true },
      ]}
      rows={agents.map((a) => [
        a.handle,
        ...activityBars.map((b) => a[b.key]),
        a.meanLeaseSeconds === null ? "—" : `${formatDuration(a.meanLeaseSeconds)} (${a.endedLeases} ended)`,
      ])}
      showTable={showTable}
    >
      <BarRows
        label={summary}
        rows={agents.map((a) => ({
          label: `${a.handle} · lease ${formatDuration(a.meanLeaseSeconds)}`,
          bars: activityBars.map((b) => ({
            label: b.label,
            value: a[b.key],
            text: String(a[b.key]),
            className: b.className,
          })),
        }))}
      />
    </ChartFrame>
  );
}
