import type { SubtaskCreate, Task } from "@taskflow/contracts";
import type { Actor } from "../actor.ts";
import type { TaskflowDb } from "../db/database.ts";
import { authorizeTask } from "./authorize-task.ts";
import { insertNewTask } from "./create-task.ts";
import { loadTask } from "./select-tasks.ts";

/** Breaks a task down: a subtask in the same project, to any depth. */
export async function createSubtask(
  db: TaskflowDb,
  actor: Actor,
  parentId: string,
  input: SubtaskCreate,
): Promise<Task> {
  return db.transaction(async (tx) => {
    const { task: parent } = await authorizeTask(tx, actor, parentId, "task.create", { forShare: true });
    const task = await insertNewTask(tx, actor, parent.projectId, parent.id, input);
    return loadTask(tx, task.id);
  });
}
