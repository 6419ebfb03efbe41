import type { Task } from "@taskflow/contracts";
import { and, eq, sql } from "drizzle-orm";
import type { Actor } from "../actor.ts";
import { recordAudit } from "../audit/record-audit.ts";
import type { TaskflowDb } from "../db/database.ts";
import { taskDependencies, tasks } from "../db/schema/tasks.ts";
import { notFound } from "../errors.ts";
import { authorizeTask } from "../tasks/authorize-task.ts";
import { loadTask } from "../tasks/select-tasks.ts";

/** Drops one dependency of a task (audited `task.dependency_removed`); an unknown one is not found. */
export async function removeTaskDependency(
  db: TaskflowDb,
  actor: Actor,
  taskId: string,
  dependsOnId: string,
): Promise<Task> {
  return db.transaction(async (tx) => {
    const { task } = await authorizeTask(tx, actor, taskId, "task.work", { forUpdate: true });
    const removed = await tx
      .delete(taskDependencies)
      .where(and(eq(taskDependencies.taskId, taskId), eq(taskDependencies.dependsOnId, dependsOnId)))
      .returning();
    if (removed.length === 0) throw notFound("dependency");
    await tx
      .update(tasks)
      .set({ version: sql`${tasks.version} + 1`, updatedAt: new Date() })
      .where(eq(tasks.id, taskId));
    await recordAudit(tx, actor, {
      entityType: "task",
      entityId: taskId,
      projectId: task.projectId,
      taskId,
      action: "task.dependency_removed",
      before: { taskId, dependsOnId },
    });
    return loadTask(tx, taskId);
  });
}
