import { Counter, Histogram, type Registry } from "prom-client";

/** What live streams cost and why they end, on the app's /metrics. */
export function streamMetrics(registry: Registry) {
  const decisions = new Histogram({
    name: "taskflow_event_stream_decisions_seconds",
    help: "Re-decisions of open event streams (credential resolved again, then the project's rule), by outcome",
    labelNames: ["outcome"] as const,
    buckets: [0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
    registers: [registry],
  });
  const ended = new Counter({
    name: "taskflow_event_streams_ended_total",
    help: "Event streams ended for their caller's access, by the reason sent in access_ended",
    labelNames: ["reason"] as const,
    registers: [registry],
  });
  return {
    /** Times a re-decision and counts its outcome (allowed, or refused). */
    timed(decide: () => Promise<void>): () => Promise<void> {
      return async () => {
        const stop = decisions.startTimer();
        try {
          await decide();
          stop({ outcome: "allowed" });
        } catch (error) {
          stop({ outcome: "refused" });
          throw error;
        }
      };
    },
    ended(reason: string): void {
      ended.inc({ reason });
    },
  };
}

export type StreamMetrics = ReturnType<typeof streamMetrics>;
