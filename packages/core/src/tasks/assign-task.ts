import type { Assignment, Task } from "@taskflow/contracts";
import { eq, sql } from "drizzle-orm";
import type { Actor } from "../actor.ts";
import { recordAudit } from "../audit/record-audit.ts";
import type { TaskflowDb } from "../db/database.ts";
import { tasks } from "../db/schema/tasks.ts";
import { assertAssignable } from "./assert-assignable.ts";
import { authorizeTask, type TaskAccessOptions } from "./authorize-task.ts";
import { loadTask } from "./select-tasks.ts";

/** Assigns a task to a member of its project, person or agent; `null` unassigns it. */
export async function assignTask(
  db: TaskflowDb,
  actor: Actor,
  taskId: string,
  input: Assignment,
  options: Pick<TaskAccessOptions, "expectedVersion"> = {},
): Promise<Task> {
  return db.transaction(async (tx) => {
    const { task } = await authorizeTask(tx, actor, taskId, "task.work", { ...options, forUpdate: true });
    if (input.assigneeId) {
      await assertAssignable(tx, actor.tenantId, task.projectId, input.assigneeId, "body.assigneeId");
    }
    const [updated] = await tx
      .update(tasks)
      .set({ assigneeId: input.assigneeId, version: sql`${tasks.version} + 1`, updatedAt: new Date() })
      .where(eq(tasks.id, taskId))
      .returning();
    await recordAudit(tx, actor, {
      entityType: "task",
      entityId: taskId,
      projectId: task.projectId,
      taskId,
      action: "task.assigned",
      before: task,
      after: updated,
    });
    return loadTask(tx, taskId);
  });
}
