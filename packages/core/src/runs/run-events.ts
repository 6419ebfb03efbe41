import type { AgentRun, AuditEntry } from "@taskflow/contracts";
import { and, asc, eq, gt } from "drizzle-orm";
import { toAuditEntry } from "../audit/audit-page.ts";
import type { TaskflowDb } from "../db/database.ts";
import { auditLog } from "../db/schema/audit.ts";

/** Whether a project event is one of this run's (opened, an activity, taken up, stale). */
export function isRunEvent(runId: string): (entry: AuditEntry) => boolean {
  return (entry) => entry.entityType === "run" && entry.entityId === runId;
}

/** A run's events after an audit id, oldest first (read through the task's audit index): what a client missed. */
export async function runEventsSince(
  db: TaskflowDb,
  run: Pick<AgentRun, "id" | "taskId">,
  tenantId: string,
  afterId: number,
  limit = 1000,
): Promise<AuditEntry[]> {
  const rows = await db
    .select()
    .from(auditLog)
    .where(
      and(
        eq(auditLog.taskId, run.taskId),
        eq(auditLog.tenantId, tenantId),
        eq(auditLog.entityType, "run"),
        eq(auditLog.entityId, run.id),
        gt(auditLog.id, afterId),
      ),
    )
    .orderBy(asc(auditLog.id))
    .limit(limit);
  return rows.map(toAuditEntry);
}
