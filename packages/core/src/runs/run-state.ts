import type { ActivityType, RunState } from "../db/schema/runs.ts";

/**
 * A run's state follows from its last activity, and from nothing else but the stale sweep (stale-runs.ts):
 * a person's prompt (a message, an answer, a stop) leaves something for the agent to take up (`pending`); a
 * thought or an action is work (`active`); a question waits for people (`awaiting_input`); an error is
 * `error`; a response ends the run (`completed`, or `stopped` when it acknowledges a stop).
 */
export function stateAfter(type: ActivityType, signal: "stop" | null): RunState {
  switch (type) {
    case "prompt":
      return "pending";
    case "thought":
    case "action":
      return "active";
    case "elicitation":
      return "awaiting_input";
    case "error":
      return "error";
    case "response":
      return signal === "stop" ? "stopped" : "completed";
  }
}

/** Runs that have ended: their agent posts nothing more, though a person's prompt opens them again. */
export const endedStates: ReadonlySet<RunState> = new Set(["completed", "stopped"]);
