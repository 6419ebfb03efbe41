// Subtasks as a tree: the API gives each task's direct subtasks; the task page walks them level by level.
import type { Task } from "@taskflow/contracts";

export interface TaskNode<T extends Pick<Task, "id" | "parentId"> = Task> {
  task: T;
  children: TaskNode<T>[];
}

/** The tree under `rootId` from a flat list (any order); tasks not under it are left out, cycles ignored. */
export function buildTree<T extends Pick<Task, "id" | "parentId">>(
  rootId: string,
  tasks: T[],
): TaskNode<T>[] {
  const byParent = new Map<string, T[]>();
  for (const task of tasks) {
    if (!task.parentId) continue;
    const siblings = byParent.get(task.parentId) ?? [];
    siblings.push(task);
    byParent.set(task.parentId, siblings);
  }
  const seen = new Set<string>([rootId]);
  const grow = (parentId: string): TaskNode<T>[] =>
    (byParent.get(parentId) ?? [])
      .filter((task) => !seen.has(task.id) && seen.add(task.id))
      .map((task) => ({ task, children: grow(task.id) }));
  return grow(rootId);
}

/** Counts of a tree: all nodes, and those completed. */
export function treeCounts(nodes: TaskNode<Pick<Task, "id" | "parentId" | "status">>[]): {
  total: number;
  done: number;
} {
  let total = 0;
  let done = 0;
  const walk = (list: typeof nodes) => {
    for (const node of list) {
      total += 1;
      if (node.task.status === "completed") done += 1;
      walk(node.children);
    }
  };
  walk(nodes);
  return { total, done };
}

/**
 * Loads every descendant of a task, one level at a time (each level's requests in parallel), up to `max`
 * tasks. `subtasksOf` is the API call; the result is flat, for buildTree.
 */
export async function loadDescendants(
  first: Task[],
  subtasksOf: (id: string) => Promise<Task[]>,
  max = 200,
): Promise<{ tasks: Task[]; truncated: boolean }> {
  const tasks: Task[] = [...first];
  let level = first;
  while (level.length > 0 && tasks.length < max) {
    const next = (await Promise.all(level.map((task) => subtasksOf(task.id)))).flat();
    tasks.push(...next);
    level = next;
  }
  return { tasks: tasks.slice(0, max), truncated: tasks.length > max || level.length > 0 };
}
