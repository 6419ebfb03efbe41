import type { Approval, Task } from "@taskflow/contracts";
import type { Actor } from "../actor.ts";
import { insertComment } from "../comments/insert-comment.ts";
import type { TaskflowDb } from "../db/database.ts";
import { applyStatusChange } from "./apply-status-change.ts";
import { assertInReview } from "./assert-in-review.ts";
import { authorizeTask, type TaskAccessOptions } from "./authorize-task.ts";

/** A reviewer (task.review) accepts a task in review: it is completed. A note is kept as a comment. */
export async function approveTask(
  db: TaskflowDb,
  actor: Actor,
  taskId: string,
  input: Approval,
  options: Pick<TaskAccessOptions, "expectedVersion"> = {},
): Promise<Task> {
  return db.transaction(async (tx) => {
    const { task, role } = await authorizeTask(tx, actor, taskId, "task.review", {
      ...options,
      forUpdate: true,
    });
    assertInReview(task, "approve");
    const { answer } = await applyStatusChange(tx, actor, role, task, "completed", "task.approved");
    if (input.note) await insertComment(tx, actor, task, { kind: "note", body: input.note });
    // The task as the approval left it (applyStatusChange says why the note's comment does not change it).
    return answer;
  });
}
