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
    ...auditActor(actor),
    before: toJson(entry.before),
    after: toJson(entry.after),
  });
}

/** Who an audit row names as having acted, and through which channel (also for task-audit-statement.ts). */
export function auditActor(actor: Actor | SystemActor) {
  return {
    actorId: actor.type === "system" ? null : actor.workerId,
    actorType: actor.type,
    channel: actor.type === "system" ? ("system" as const) : actor.channel,
  };
}

/** A snapshot as a jsonb parameter's text: the very JSON toJson stores (null for none). */
export function auditJsonText(value: unknown): string | null {
  return value === undefined || value === null ? null : JSON.stringify(value);
}

/** Dates become ISO strings so before/after read the same from jsonb as from the API. */
function toJson(value: unknown): unknown {
  if (value === undefined || value === null) return null;
  return JSON.parse(JSON.stringify(value));
}
