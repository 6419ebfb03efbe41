import type { StatusChange, Task } from "@taskflow/contracts";
import type { Actor } from "../actor.ts";
import { insertComment } from "../comments/insert-comment.ts";
import type { TaskflowDb } from "../db/database.ts";
import { applyStatusChange, type StatusChangeOptions } from "./apply-status-change.ts";
import { authorizeTask, type TaskAccessOptions } from "./authorize-task.ts";
import { permissionToAttempt } from "./task-transitions.ts";

/**
 * Moves a task along the transition table (task-transitions.ts). The caller needs what the move
 * needs, no more and no less: moving a task out of review is approving or rejecting it, and asks
 * for exactly what `POST …/approve` and `…/reject` ask (authorize-transition.ts decides both).
 * A note, if given, is kept as a comment on the task.
 */
export async function changeTaskStatus(
  db: TaskflowDb,
  actor: Actor,
  taskId: string,
  input: StatusChange,
  options: Pick<TaskAccessOptions, "expectedVersion"> & StatusChangeOptions = {},
): Promise<Task> {
  return db.transaction(async (tx) => {
    const { task, role } = await authorizeTask(
      tx,
      actor,
      taskId,
      (task) => permissionToAttempt(task.status, input.status),
      { expectedVersion: options.expectedVersion, forUpdate: true },
    );
    const { answer } = await applyStatusChange(tx, actor, role, task, input.status, "task.status_changed", {
      leaseSeconds: options.leaseSeconds,
    });
    if (input.note) await insertComment(tx, actor, task, { kind: "note", body: input.note });
    // The task as the change left it (applyStatusChange says why a note's comment does not change it).
    return answer;
  });
}
