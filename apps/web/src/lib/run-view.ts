// What the run view shows of a run, and how: pure functions (tested in test/run-view.test.ts).
import type { AgentRun, RunActivity, RunState } from "@taskflow/contracts";

const stateLabels: Record<RunState, string> = {
  pending: "Waiting for the agent",
  active: "Working",
  awaiting_input: "Needs an answer",
  error: "Error",
  completed: "Completed",
  stopped: "Stopped",
  stale: "Stale: no activity for a while",
};

export function runStateLabel(state: RunState): string {
  return stateLabels[state];
}

/** Runs a person should look at: stale (the agent went quiet) and error, and those asking a question. */
export function runNeedsLook(run: Pick<AgentRun, "state">): "stale" | "error" | "question" | null {
  if (run.state === "stale" || run.state === "error") return run.state;
  return run.state === "awaiting_input" ? "question" : null;
}

/** Whether the run has ended (its agent posts nothing more, though a prompt opens it again). */
export function runEnded(run: Pick<AgentRun, "state">): boolean {
  return run.state === "completed" || run.state === "stopped";
}

/**
 * The activities to show, oldest first: an ephemeral thought only while it is the run's latest activity (a
 * passing "reading the file…"), everything else always.
 */
export function visibleActivities(activities: RunActivity[]): RunActivity[] {
  const last = activities.at(-1);
  return activities.filter((activity) => !activity.ephemeral || activity === last);
}

/** The questions nobody has answered yet: each gets an answer form. */
export function openQuestions(activities: RunActivity[]): Set<string> {
  return new Set(
    activities
      .filter((activity) => activity.type === "elicitation" && !activity.elicitation?.answeredById)
      .map((activity) => activity.id),
  );
}

/** The first line of a text, cut to `max` characters: a collapsed thought's summary. */
export function firstLine(text: string, max = 120): string {
  const line = text.split("\n", 1)[0]?.trim() ?? "";
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

/** An action's parameters as indented JSON, for a `<pre>` (never HTML). */
export function showParameters(parameters: unknown): string {
  if (parameters === null || parameters === undefined) return "";
  return JSON.stringify(parameters, null, 2);
}
