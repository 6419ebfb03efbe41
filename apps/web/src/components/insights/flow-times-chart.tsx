import type { DurationSummary } from "@taskflow/contracts";
import { formatDuration } from "@/lib/duration";
import { BarRows } from "./bar-rows";
import { ChartFrame } from "./chart-frame";

/** Time in review and cycle time: the median and the 90th percentile of each, side by side. */
export function FlowTimesChart({
  timeInReview,
  cycleTime,
  showTable,
}: {
  timeInReview: DurationSummary;
  cycleTime: DurationSummary;
  showTable: boolean;
}) {
  const measures = [
    { label: "Time in review", summary: timeInReview },
    { label: "Cycle time", summary: cycleTime },
  ];
  const measured = measures.filter((m) => m.summary.count > 0);
  const summary =
    measured.length > 0
      ? measures
          .map((m) =>
            m.summary.count > 0
              ? `${m.label}: p50 ${formatDuration(m.summary.p50Seconds)}, p90 ${formatDuration(m.summary.p90Seconds)} over ${m.summary.count}.`
              : `${m.label}: nothing measured.`,
          )
          .join(" ")
      : "No reviews ended and no tasks completed in these days: move a task through review to completion to measure.";
  return (
    <ChartFrame
      id="flow-times"
      title="Time in review and cycle time"
      summary={summary}
      legend={[
        { label: "p50 (median)", swatchClass: "fill-sky-500" },
        { label: "p90", swatchClass: "fill-sky-800 dark:fill-sky-300" },
      ]}
      columns={[
        { label: "Measure" },
        { label: "Measured", numeric: true },
        { label: "p50", numeric: true },
        { label: "p90", numeric: true },
      ]}
      rows={
        measured.length > 0
          ? measures.map((m) => [
              m.label,
              m.summary.count,
              formatDuration(m.summary.p50Seconds),
              formatDuration(m.summary.p90Seconds),
            ])
          : []
      }
      showTable={showTable}
    >
      <BarRows
        label={summary}
        rows={measures.map((m) => ({
          label: m.label,
          bars: [
            {
              label: "p50",
              value: m.summary.p50Seconds ?? 0,
              text: formatDuration(m.summary.p50Seconds),
              className: "fill-sky-500",
            },
            {
              label: "p90",
              value: m.summary.p90Seconds ?? 0,
              text: formatDuration(m.summary.p90Seconds),
              className: "fill-sky-800 dark:fill-sky-300",
            },
          ],
        }))}
      />
    </ChartFrame>
  );
}
