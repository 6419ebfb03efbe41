import type { Comment, CommentCreate } from "@taskflow/contracts";
import { eq } from "drizzle-orm";
import type { Actor } from "../actor.ts";
import { renewLeaseOnProgress } from "../claims/renew-lease.ts";
import type { TaskflowDb } from "../db/database.ts";
import { comments } from "../db/schema/tasks.ts";
import { authorizeTask } from "../tasks/authorize-task.ts";
import { insertComment } from "./insert-comment.ts";
import { selectComments, toComment } from "./select-comments.ts";

/**
 * People and agents leave notes on a task; a progress note may carry the progress it reports, and
 * from the claim's holder it renews the lease (any progress report does, not only a heartbeat).
 */
export async function addComment(
  db: TaskflowDb,
  actor: Actor,
  taskId: string,
  input: CommentCreate,
): Promise<Comment> {
  return db.transaction(async (tx) => {
    const { task } = await authorizeTask(tx, actor, taskId, "task.comment");
    const comment = await insertComment(tx, actor, task, input);
    if (input.kind === "progress") await renewLeaseOnProgress(tx, actor, task);
    const [row] = await selectComments(tx).where(eq(comments.id, comment.id));
    if (!row) throw new Error("comment vanished");
    return toComment(row);
  });
}
