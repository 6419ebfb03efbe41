import type { AuditPage } from "@taskflow/contracts";
import { and, eq } from "drizzle-orm";
import type { Actor } from "../actor.ts";
import { authorizeProject } from "../authorization/project-access.ts";
import type { TaskflowDb } from "../db/database.ts";
import { auditLog } from "../db/schema/audit.ts";
import { tasks } from "../db/schema/tasks.ts";
import { notFound } from "../errors.ts";
import { type AuditPageRequest, auditPage } from "./audit-page.ts";

/** The audit trail of one task (and its comments), newest first; needs `audit.read` on its project. */
export async function listTaskAudit(
  db: TaskflowDb,
  actor: Actor,
  taskId: string,
  request: AuditPageRequest,
): Promise<AuditPage> {
  const [task] = await db
    .select({ projectId: tasks.projectId })
    .from(tasks)
    .where(and(eq(tasks.id, taskId), eq(tasks.tenantId, actor.tenantId)));
  if (!task) throw notFound("task");
  try {
    await authorizeProject(db, actor, task.projectId, "audit.read");
  } catch (error) {
    // Someone who cannot see the project cannot see that the task exists either.
    if (error instanceof Error && "code" in error && error.code === "not_found") throw notFound("task");
    throw error;
  }
  return auditPage(db, and(eq(auditLog.tenantId, actor.tenantId), eq(auditLog.taskId, taskId)), request);
}
