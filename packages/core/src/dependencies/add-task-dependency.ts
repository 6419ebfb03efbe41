import type { Task } from "@taskflow/contracts";
import { eq, sql } from "drizzle-orm";
import type { Actor } from "../actor.ts";
import type { TaskflowDb } from "../db/database.ts";
import { tasks } from "../db/schema/tasks.ts";
import { authorizeTask } from "../tasks/authorize-task.ts";
import { loadTask } from "../tasks/select-tasks.ts";
import { insertDependency } from "./insert-dependency.ts";

/**
 * Makes a task depend on another task of its project: it cannot be claimed until that one is
 * completed. A cycle is refused (409, `details.cycle`); adding an existing dependency changes nothing.
 */
export async function addTaskDependency(
  db: TaskflowDb,
  actor: Actor,
  taskId: string,
  dependsOnId: string,
): Promise<Task> {
  return db.transaction(async (tx) => {
    const { task } = await authorizeTask(tx, actor, taskId, "task.work", { forUpdate: true });
    if (await insertDependency(tx, actor, task, dependsOnId)) {
      await tx
        .update(tasks)
        .set({ version: sql`${tasks.version} + 1`, updatedAt: new Date() })
        .where(eq(tasks.id, taskId));
    }
    return loadTask(tx, taskId);
  });
}
