import { inArray, sql } from "drizzle-orm";
import type { TaskflowExecutor } from "../db/database.ts";
import { taskDependencies } from "../db/schema/tasks.ts";

/**
 * The cycle that `taskId depends on dependsOnId` would close, or null when there is none: the ids
 * in dependency order, starting at `taskId` (`[A, B, C]` reads A → B → C → A). The tasks
 * `dependsOnId` reaches are found with a recursive query (UNION, so each task once, linear in the
 * graph); the shortest path back to `taskId` is then traced over the edges among them.
 */
export async function findDependencyCycle(
  tx: TaskflowExecutor,
  taskId: string,
  dependsOnId: string,
): Promise<string[] | null> {
  if (taskId === dependsOnId) return [taskId];
  const reached = sql`(
    with recursive reach(id) as (
      select ${dependsOnId}::uuid
      union
      select d.depends_on_id from task_dependencies d join reach r on d.task_id = r.id
    )
    select id from reach
  )`;
  const edges = await tx
    .select({ from: taskDependencies.taskId, to: taskDependencies.dependsOnId })
    .from(taskDependencies)
    .where(inArray(taskDependencies.taskId, reached));
  const next = new Map<string, string[]>();
  for (const edge of edges) next.set(edge.from, [...(next.get(edge.from) ?? []), edge.to]);
  // Breadth-first from dependsOnId: the first time taskId is reached is by a shortest path.
  const cameFrom = new Map<string, string | null>([[dependsOnId, null]]);
  const queue = [dependsOnId];
  while (queue.length > 0) {
    const at = queue.shift() as string;
    if (at === taskId) {
      const path: string[] = [];
      for (let id: string | null | undefined = at; id; id = cameFrom.get(id)) path.unshift(id);
      // path runs dependsOnId … taskId; the new edge taskId → dependsOnId closes it.
      return [taskId, ...path.slice(0, -1)];
    }
    for (const to of next.get(at) ?? []) {
      if (!cameFrom.has(to)) {
        cameFrom.set(to, at);
        queue.push(to);
      }
    }
  }
  return null;
}
