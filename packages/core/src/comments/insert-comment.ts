import type { Actor } from "../actor.ts";
import { recordAudit } from "../audit/record-audit.ts";
import type { TaskflowTx } from "../db/database.ts";
import { comments } from "../db/schema/tasks.ts";
import { notifyMentions } from "../notifications/task-notifications.ts";
import { dispatchMentionedAgents } from "../runs/dispatch-hooks.ts";
import type { TaskRow } from "../tasks/authorize-task.ts";
import type { CommentRow } from "./select-comments.ts";

export interface NewComment {
  kind: CommentRow["kind"];
  body: string;
  progress?: number | null | undefined;
}

/**
 * Adds a comment to a task the caller may comment on, with its `comment.added` audit row. Used by
 * add-comment and by the task changes that keep a note (progress notes, rejection reasons).
 */
export async function insertComment(
  tx: TaskflowTx,
  actor: Actor,
  task: Pick<TaskRow, "id" | "projectId">,
  input: NewComment,
): Promise<CommentRow> {
  const [comment] = await tx
    .insert(comments)
    .values({
      tenantId: actor.tenantId,
      taskId: task.id,
      authorId: actor.workerId,
      kind: input.kind,
      body: input.body,
      progress: input.progress ?? null,
    })
    .returning();
  if (!comment) throw new Error("insert returned no comment");
  await recordAudit(tx, actor, {
    entityType: "comment",
    entityId: comment.id,
    projectId: task.projectId,
    taskId: task.id,
    action: "comment.added",
    after: comment,
  });
  await notifyMentions(tx, actor, task, comment);
  await dispatchMentionedAgents(tx, actor, task, comment);
  return comment;
}
