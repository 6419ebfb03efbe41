// An audit entry in words for a person: who did what, with the change that matters. Pure functions.
import type { AuditEntry, WorkerSummary } from "@taskflow/contracts";
import { statusLabel } from "./problem";
import { describeRunAudit } from "./run-audit-text";

type Row = Record<string, unknown>;
const asRow = (value: unknown): Row => (value && typeof value === "object" ? (value as Row) : {});

/** Who acted: a name with "(agent)" for agents, "TaskFlow" for the system, or "someone" when unknown. */
export function actorName(
  entry: Pick<AuditEntry, "actorId" | "actorType">,
  workers: Map<string, WorkerSummary>,
) {
  if (entry.actorType === "system") return "TaskFlow";
  const worker = entry.actorId ? workers.get(entry.actorId) : undefined;
  const name = worker ? worker.name || worker.handle : entry.actorType === "agent" ? "an agent" : "someone";
  return entry.actorType === "agent" ? `${name} (agent)` : name;
}

function workerName(id: unknown, workers: Map<string, WorkerSummary>): string {
  if (typeof id !== "string") return "nobody";
  const worker = workers.get(id);
  return worker ? `${worker.handle}${worker.kind === "agent" ? " (agent)" : ""}` : "a former member";
}

const trackedFields = [
  "title",
  "description",
  "priority",
  "tags",
  "dueAt",
  "recurrence",
  "requiredCapabilities",
];

/** What the entry changed, in a few words ("moved from Pending to In progress", "changed title, priority"). */
export function describeAudit(
  entry: Pick<AuditEntry, "action" | "before" | "after">,
  workers: Map<string, WorkerSummary>,
): string {
  if (entry.action.startsWith("run.")) return describeRunAudit(entry);
  const before = asRow(entry.before);
  const after = asRow(entry.after);
  const title =
    typeof after.title === "string" ? after.title : typeof before.title === "string" ? before.title : "";
  const named = title ? ` “${title}”` : "";
  switch (entry.action) {
    case "task.created":
      return `created${named}`;
    case "task.status_changed":
      return `moved${named} from ${statusLabel(String(before.status))} to ${statusLabel(String(after.status))}`;
    case "task.approved":
      return `approved${named}`;
    case "task.rejected":
      return `rejected${named}, back to In progress`;
    case "task.progress_updated":
      return `reported progress on${named}: ${before.progress ?? 0}% → ${after.progress ?? 0}%`;
    case "task.assigned":
      return `assigned${named} to ${workerName(after.assigneeId, workers)}`;
    case "task.unassigned":
      return `unassigned${named}`;
    case "task.claimed":
      return `claimed${named}`;
    case "task.released":
      return `released${named}`;
    case "task.stop_requested":
      return `asked the holder of${named} to stop`;
    case "task.stop_acknowledged":
      return `stopped working on${named}`;
    case "lease.expired":
      return `released${named}: its lease expired without a heartbeat`;
    case "task.deleted":
      return `deleted${named}`;
    case "task.recurred":
      return `scheduled the next occurrence of${named}`;
    case "task.updated": {
      const changed = trackedFields.filter((f) => JSON.stringify(before[f]) !== JSON.stringify(after[f]));
      return changed.length > 0 ? `changed ${changed.join(", ")} of${named}` : `edited${named}`;
    }
    case "comment.added":
      return "commented";
    case "member.added":
      return `added ${workerName(after.workerId, workers)} as ${String(after.role ?? "member")}`;
    case "member.role_changed":
      return `made ${workerName(after.workerId ?? before.workerId, workers)} ${String(after.role ?? "")}`;
    case "member.removed":
      return `removed ${workerName(before.workerId, workers)}`;
    case "project.created":
      return `created the project${after.name ? ` “${String(after.name)}”` : ""}`;
    case "project.updated":
      return "changed the project's details";
    default:
      return entry.action.replace(/[._]/g, " ");
  }
}
