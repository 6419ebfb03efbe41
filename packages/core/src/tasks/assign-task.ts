import type { Assignment, Task } from "@taskflow/contracts";
import { eq, sql } from "drizzle-orm";
import type { Actor } from "../actor.ts";
import { recordAudit } from "../audit/record-audit.ts";
import type { TaskflowDb } from "../db/database.ts";
import { tasks } from "../db/schema/tasks.ts";
import { type DelegationOptions, decideDelegation } from "../delegation/delegation-depth.ts";
import { notifyAssignee } from "../notifications/task-notifications.ts";
import { dispatchAssignedAgent } from "../runs/dispatch-hooks.ts";
import { assertAssignable } from "./assert-assignable.ts";
import { authorizeTask, type TaskAccessOptions } from "./authorize-task.ts";
import { loadTask } from "./select-tasks.ts";

/**
 * Assigns a task to a member of its project, person or agent; `null` unassigns it. An agent
 * assigning a subtask to another worker delegates it, exactly as if it had created the subtask with
 * that assignee: recorded, and capped in depth (decideDelegation).
 */
export async function assignTask(
  db: TaskflowDb,
  actor: Actor,
  taskId: string,
  input: Assignment,
  options: Pick<TaskAccessOptions, "expectedVersion"> & DelegationOptions = {},
): Promise<Task> {
  return db.transaction(async (tx) => {
    const { task } = await authorizeTask(tx, actor, taskId, "task.work", {
      expectedVersion: options.expectedVersion,
      forUpdate: true,
    });
    if (input.assigneeId) {
      await assertAssignable(tx, actor.tenantId, task.projectId, input.assigneeId, "body.assigneeId");
    }
    const delegatedById = await decideDelegation(tx, actor, task, input.assigneeId, options);
    const [updated] = await tx
      .update(tasks)
      .set({
        assigneeId: input.assigneeId,
        delegatedById,
        version: sql`${tasks.version} + 1`,
        updatedAt: new Date(),
      })
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
    if (updated) await notifyAssignee(tx, actor, updated, task.assigneeId);
    if (updated) await dispatchAssignedAgent(tx, actor, updated, task.assigneeId);
    return loadTask(tx, taskId);
  });
}
