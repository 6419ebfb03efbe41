import { and, eq, ne, sql } from "drizzle-orm";
import type { Actor } from "../actor.ts";
import { recordAudit } from "../audit/record-audit.ts";
import type { TaskflowTx } from "../db/database.ts";
import { tasks } from "../db/schema/tasks.ts";

/**
 * A worker who leaves a project (or an agent that is deleted) stops being the assignee of its
 * open (not completed) tasks there; each change is audited. Completed tasks keep their assignee.
 */
export async function unassignOpenTasks(
  tx: TaskflowTx,
  actor: Actor,
  workerId: string,
  projectId?: string,
): Promise<void> {
  const changed = await tx
    .update(tasks)
    .set({ assigneeId: null, version: sql`${tasks.version} + 1`, updatedAt: new Date() })
    .where(
      and(
        eq(tasks.tenantId, actor.tenantId),
        eq(tasks.assigneeId, workerId),
        ne(tasks.status, "completed"),
        projectId ? eq(tasks.projectId, projectId) : undefined,
      ),
    )
    .returning({ id: tasks.id, projectId: tasks.projectId, version: tasks.version });
  for (const task of changed) {
    await recordAudit(tx, actor, {
      entityType: "task",
      entityId: task.id,
      projectId: task.projectId,
      taskId: task.id,
      action: "task.unassigned",
      before: { assigneeId: workerId },
      after: { assigneeId: null, version: task.version },
    });
  }
}
