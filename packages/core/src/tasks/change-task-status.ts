import type { StatusChange, Task } from "@taskflow/contracts";
import type { Actor } from "../actor.ts";
import { insertComment } from "../comments/insert-comment.ts";
import type { TaskflowDb } from "../db/database.ts";
import { applyStatusChange } from "./apply-status-change.ts";
import { authorizeTask, type TaskAccessOptions } from "./authorize-task.ts";
import { loadTask } from "./select-tasks.ts";

/**
 * Moves a task along the transition table (task-transitions.ts). A note, if given, is kept as a
 * comment on the task.
 */
export async function changeTaskStatus(
  db: TaskflowDb,
  actor: Actor,
  taskId: string,
  input: StatusChange,
  options: Pick<TaskAccessOptions, "expectedVersion"> = {},
): Promise<Task> {
  return db.transaction(async (tx) => {
    const { task, role } = await authorizeTask(tx, actor, taskId, "task.work", {
      ...options,
      forUpdate: true,
    });
    await applyStatusChange(tx, actor, role, task, input.status);
    if (input.note) await insertComment(tx, actor, task, { kind: "note", body: input.note });
    return loadTask(tx, taskId);
  });
}
