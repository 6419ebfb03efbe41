import { eq } from "drizzle-orm";
import type { Actor, SystemActor } from "../actor.ts";
import { mentionedMembers, parseMentions } from "../comments/mentions.ts";
import type { CommentRow } from "../comments/select-comments.ts";
import type { TaskflowTx } from "../db/database.ts";
import { tasks } from "../db/schema/tasks.ts";
import type { TaskRow } from "../tasks/authorize-task.ts";
import { notify } from "./notify.ts";
import { reviewersOf } from "./recipients.ts";

// What the task workflow tells people (kinds.ts has the rules in words). Each runs inside the transaction of
// the change, called by the one function every path to that change goes through.

/** A task now has a (different) assignee: tell them. Called on create, assign and a series' next occurrence. */
export async function notifyAssignee(
  tx: TaskflowTx,
  actor: Actor | SystemActor,
  task: TaskRow,
  previousAssigneeId: string | null,
): Promise<void> {
  if (!task.assigneeId || task.assigneeId === previousAssigneeId) return;
  await notify(tx, { kind: "assigned", recipientIds: [task.assigneeId], task, actor });
}

/** A status change: into review asks the task's reviewers; into completed tells the task's creator. */
export async function notifyStatusChange(
  tx: TaskflowTx,
  actor: Actor,
  before: TaskRow,
  after: TaskRow,
): Promise<void> {
  if (before.status === after.status) return;
  if (after.status === "review") {
    await notify(tx, {
      kind: "review_requested",
      recipientIds: await reviewersOf(tx, after),
      task: after,
      actor,
    });
  } else if (after.status === "completed") {
    await notify(tx, {
      kind: "outcome",
      recipientIds: [after.creatorId],
      task: after,
      actor,
      title: `“${after.title}” is completed`,
    });
  }
}

/** People of the project a comment @mentions (agents are the runs' to reach). */
export async function notifyMentions(
  tx: TaskflowTx,
  actor: Actor,
  taskRef: Pick<TaskRow, "id" | "projectId">,
  comment: Pick<CommentRow, "body">,
): Promise<void> {
  // Most comments mention nobody: no query for them.
  if (parseMentions(comment.body).length === 0) return;
  const mentioned = await mentionedMembers(tx, actor.tenantId, taskRef.projectId, comment.body);
  const people = mentioned.filter((worker) => worker.kind === "human").map((worker) => worker.id);
  if (people.length === 0) return;
  const [task] = await tx
    .select({ id: tasks.id, tenantId: tasks.tenantId, projectId: tasks.projectId, title: tasks.title })
    .from(tasks)
    .where(eq(tasks.id, taskRef.id));
  if (!task) return;
  await notify(tx, { kind: "mention", recipientIds: people, task, actor, body: comment.body });
}

/** The agent acknowledged a stop: tell the person who asked for it. */
export async function notifyStopAcknowledged(
  tx: TaskflowTx,
  actor: Actor,
  task: TaskRow,
  note?: string,
): Promise<void> {
  await notify(tx, {
    kind: "stop_acknowledged",
    recipientIds: [task.stopRequestedById],
    task,
    actor,
    ...(note ? { body: note } : {}),
  });
}
