import type { SubtaskCreate, Task } from "@taskflow/contracts";
import type { Actor } from "../actor.ts";
import type { TaskflowDb } from "../db/database.ts";
import type { DelegationOptions } from "../delegation/delegation-depth.ts";
import { authorizeTask } from "./authorize-task.ts";
import { insertNewTask } from "./create-task.ts";
import { loadTask } from "./select-tasks.ts";

/**
 * Breaks a task down: a subtask in the same project, to any depth. An agent assigning it to
 * another worker delegates it (`delegatedById`); its chain may hold at most
 * `delegationMaxDepth` delegation links (default 5), people are not capped (decideDelegation).
 */
export async function createSubtask(
  db: TaskflowDb,
  actor: Actor,
  parentId: string,
  input: SubtaskCreate,
  options: DelegationOptions = {},
): Promise<Task> {
  return db.transaction(async (tx) => {
    const { task: parent } = await authorizeTask(tx, actor, parentId, "task.create", { forShare: true });
    const task = await insertNewTask(tx, actor, parent.projectId, parent.id, input, options);
    return loadTask(tx, task.id);
  });
}
