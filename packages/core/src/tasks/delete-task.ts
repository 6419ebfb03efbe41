import { and, eq, inArray, sql } from "drizzle-orm";
import type { Actor } from "../actor.ts";
import { recordAudit } from "../audit/record-audit.ts";
import type { TaskflowDb } from "../db/database.ts";
import { tasks } from "../db/schema/tasks.ts";
import { notFound } from "../errors.ts";
import { authorizeTask, type TaskAccessOptions } from "./authorize-task.ts";

/**
 * Deletes a task together with all its subtasks, to any depth, and their comments. Its creator
 * may (task.delete_own), and admins may delete anyone's (task.delete_any). Every deleted task
 * gets its own `task.deleted` audit row; the audit trail itself stays.
 */
export async function deleteTask(
  db: TaskflowDb,
  actor: Actor,
  taskId: string,
  options: Pick<TaskAccessOptions, "expectedVersion"> = {},
): Promise<{ deletedIds: string[] }> {
  return db.transaction(async (tx) => {
    // Whose task it is names the permission (a creator never changes); authorizeTask then decides it
    // like any other: token scope, key scope, role. A task the caller cannot see is not found either way.
    const [created] = await tx
      .select({ by: tasks.creatorId })
      .from(tasks)
      .where(and(eq(tasks.id, taskId), eq(tasks.tenantId, actor.tenantId)));
    if (!created) throw notFound("task");
    const own = created.by === actor.workerId;
    await authorizeTask(tx, actor, taskId, own ? "task.delete_own" : "task.delete_any", {
      ...options,
      forUpdate: true,
    });
    const subtree = sql`(
      with recursive subtree(id) as (
        select ${tasks.id} from ${tasks} where ${tasks.id} = ${taskId}
        union all
        select child.id from ${tasks} child join subtree on child.parent_id = subtree.id
      )
      select id from subtree
    )`;
    // Lock the subtree first: a subtask being created under any of its tasks (which holds its
    // parent FOR SHARE) commits before the delete reads the subtree, and so is deleted and audited.
    await tx.select({ id: tasks.id }).from(tasks).where(inArray(tasks.id, subtree)).for("update");
    const deleted = await tx.delete(tasks).where(inArray(tasks.id, subtree)).returning();
    for (const row of deleted) {
      await recordAudit(tx, actor, {
        entityType: "task",
        entityId: row.id,
        projectId: row.projectId,
        taskId: row.id,
        action: "task.deleted",
        before: row,
      });
    }
    return { deletedIds: deleted.map((row) => row.id) };
  });
}
