import { inArray, sql } from "drizzle-orm";
import type { Actor } from "../actor.ts";
import { recordAudit } from "../audit/record-audit.ts";
import { assertKeyAllows } from "../authorization/key-scope.ts";
import { roleAllows } from "../authorization/permissions.ts";
import type { TaskflowDb } from "../db/database.ts";
import { tasks } from "../db/schema/tasks.ts";
import { forbidden } from "../errors.ts";
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
    const { task, role } = await authorizeTask(tx, actor, taskId, "project.read", {
      ...options,
      forUpdate: true,
    });
    const own = task.creatorId === actor.workerId;
    assertKeyAllows(actor, task.projectId, own ? "write_tasks" : "manage");
    if (!roleAllows(role, "task.delete_any") && !(own && roleAllows(role, "task.delete_own"))) {
      throw forbidden(
        own
          ? `your role in this project (${role}) does not allow deleting tasks`
          : `deleting someone else's task needs task.delete_any; your role is ${role}`,
      );
    }
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
