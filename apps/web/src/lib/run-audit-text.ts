// A run's audit entries (`run.<type>`, opened, taken up, stale) in words, for the activity lists. Pure functions.
import type { AuditEntry } from "@taskflow/contracts";

type Row = Record<string, unknown>;
const asRow = (value: unknown): Row => (value && typeof value === "object" ? (value as Row) : {});

export function describeRunAudit(entry: Pick<AuditEntry, "action" | "after">): string {
  const after = asRow(entry.after);
  switch (entry.action) {
    case "run.opened":
      return `opened an agent run (${String(after.origin ?? "")})`;
    case "run.taken_up":
      return "took up its run";
    case "run.stale":
      return "marked a run stale: no activity for a while";
    case "run.prompt":
      return after.signal === "stop"
        ? "asked the agent to stop"
        : after.answer
          ? "answered the agent's question"
          : "prompted the agent";
    case "run.thought":
      return "thought";
    case "run.action": {
      const action = asRow(after.action);
      return `used ${typeof action.tool === "string" ? action.tool : "a tool"}`;
    }
    case "run.response":
      return after.signal === "stop" ? "stopped as asked" : "responded";
    case "run.elicitation":
      return "asked a question";
    case "run.error":
      return "reported an error";
    default:
      return entry.action.replace(/[._]/g, " ");
  }
}
