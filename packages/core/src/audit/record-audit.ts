import type { Actor, SystemActor } from "../actor.ts";
import type { TaskflowTx } from "../db/database.ts";
import { auditLog } from "../db/schema/audit.ts";

export type AuditEntityType = (typeof auditLog.$inferInsert)["entityType"];

export interface AuditEntry {
  entityType: AuditEntityType;
  entityId: string;
  action: string;
  projectId?: string | null;
  taskId?: string | null;
  before?: unknown;
  after?: unknown;
}

/** Writes one audit row inside the caller's transaction: the mutation and its record commit together. */
export async function recordAudit(
  tx: TaskflowTx,
  actor: Actor | SystemActor,
  entry: AuditEntry,
): Promise<void> {
  await tx.insert(auditLog).values({
    tenantId: actor.tenantId,
    projectId: entry.projectId ?? null,
    taskId: entry.taskId ?? null,
    entityType: entry.entityType,
    entityId: entry.entityId,
    action: entry.action,
    actorId: actor.type === "system" ? null : actor.workerId,
    actorType: actor.type,
    channel: actor.type === "system" ? "system" : actor.channel,
    before: toJson(entry.before),
    after: toJson(entry.after),
  });
}

/** Dates become ISO strings so before/after read the same from jsonb as from the API. */
function toJson(value: unknown): unknown {
  if (value === undefined || value === null) return null;
  return JSON.parse(JSON.stringify(value));
}
