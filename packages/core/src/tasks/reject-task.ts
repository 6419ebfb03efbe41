import type { Rejection, Task } from "@taskflow/contracts";
import type { Actor } from "../actor.ts";
import { insertComment } from "../comments/insert-comment.ts";
import type { TaskflowDb } from "../db/database.ts";
import { applyStatusChange, type StatusChangeOptions } from "./apply-status-change.ts";
import { assertInReview } from "./assert-in-review.ts";
import { authorizeTask, type TaskAccessOptions } from "./authorize-task.ts";

/**
 * A reviewer (task.review) sends a task in review back to in_progress; the reason is kept as a
 * comment so whoever works on it sees what to change. An agent assignee gets the task back with a
 * fresh claim (claimAfterStatusChange).
 */
export async function rejectTask(
  db: TaskflowDb,
  actor: Actor,
  taskId: string,
  input: Rejection,
  options: Pick<TaskAccessOptions, "expectedVersion"> & StatusChangeOptions = {},
): Promise<Task> {
  return db.transaction(async (tx) => {
    const { task, role } = await authorizeTask(tx, actor, taskId, "task.review", {
      expectedVersion: options.expectedVersion,
      forUpdate: true,
    });
    assertInReview(task, "reject");
    const { answer } = await applyStatusChange(tx, actor, role, task, "in_progress", "task.rejected", {
      leaseSeconds: options.leaseSeconds,
    });
    await insertComment(tx, actor, task, { kind: "note", body: input.reason });
    // The task as the rejection left it (applyStatusChange says why the reason's comment does not change it).
    return answer;
  });
}
