import { and, eq, ne, type SQL, type SQLWrapper, sql } from "drizzle-orm";
import type { TaskflowExecutor } from "../db/database.ts";
import { taskDependencies, tasks } from "../db/schema/tasks.ts";

/**
 * The tasks `taskId` depends on that are not completed yet, oldest dependency first. Empty: the
 * task is not blocked (claimable as far as its dependencies go).
 */
export async function openDependencies(tx: TaskflowExecutor, taskId: string): Promise<string[]> {
  const rows = await tx
    .select({ id: taskDependencies.dependsOnId })
    .from(taskDependencies)
    .innerJoin(tasks, eq(tasks.id, taskDependencies.dependsOnId))
    .where(and(eq(taskDependencies.taskId, taskId), ne(tasks.status, "completed")))
    .orderBy(taskDependencies.createdAt, taskDependencies.dependsOnId);
  return rows.map((r) => r.id);
}

/**
 * A condition for queries over tasks: the task (e.g. `tasks.id`) has no dependency that is not
 * completed. Written for `claim next`: `where(and(…, hasNoOpenDependencies(tasks.id)))`.
 */
export function hasNoOpenDependencies(taskId: SQLWrapper): SQL {
  return sql`not exists (select 1 from task_dependencies open_dep
    join tasks open_dep_task on open_dep_task.id = open_dep.depends_on_id
    where open_dep.task_id = ${taskId} and open_dep_task.status <> 'completed')`;
}
