import { and, eq, inArray, isNull, ne } from "drizzle-orm";
import type { Actor, SystemActor } from "../actor.ts";
import type { TaskflowTx } from "../db/database.ts";
import { type NotificationKind, notifications } from "../db/schema/notifications.ts";
import { projectMembers } from "../db/schema/projects.ts";
import type { tasks } from "../db/schema/tasks.ts";
import { workers } from "../db/schema/workers.ts";
import { announceInboxChange } from "./inbox-announcements.ts";

export type NotificationRow = typeof notifications.$inferSelect;

/** A notification's body is cut to this many characters (the rest is on the task or the run). */
export const notificationBodyMax = 2_000;

export interface NotificationDraft {
  kind: NotificationKind;
  /**
   * Whom to tell, as worker ids (null and repeats are ignored). Only people who are members of the task's
   * project now receive it: agents, strangers, other tenants' workers and the actor are left out.
   */
  recipientIds: readonly (string | null | undefined)[];
  /** The task it is about (its project decides who may see it). */
  task: Pick<typeof tasks.$inferSelect, "id" | "tenantId" | "projectId" | "title">;
  /** Who caused it: never told of their own doing. The system for a due reminder. */
  actor: Actor | SystemActor;
  /** The inbox line and the mail's subject; worded from the kind, the actor and the task when left out. */
  title?: string;
  /** More words: the question, the comment, the answer (Markdown as written). */
  body?: string;
  /** The agent run it came from, if any. */
  runId?: string | null;
}

/**
 * Puts a notification in the inbox of each recipient, inside the caller's transaction: it exists exactly
 * when the change that caused it commits, and the live inboxes (and the mailer) hear of it then. Returns
 * the rows written, one per person told.
 */
export async function notify(tx: TaskflowTx, draft: NotificationDraft): Promise<NotificationRow[]> {
  const actorId = draft.actor.type === "system" ? null : draft.actor.workerId;
  const wanted = [...new Set(draft.recipientIds.filter((id): id is string => typeof id === "string"))].filter(
    (id) => id !== actorId,
  );
  if (wanted.length === 0) return [];
  const recipients = await tx
    .select({ id: workers.id })
    .from(workers)
    .innerJoin(
      projectMembers,
      and(eq(projectMembers.workerId, workers.id), eq(projectMembers.projectId, draft.task.projectId)),
    )
    .where(
      and(
        inArray(workers.id, wanted),
        eq(workers.tenantId, draft.task.tenantId),
        eq(workers.kind, "human"),
        isNull(workers.deletedAt),
        actorId ? ne(workers.id, actorId) : undefined,
      ),
    );
  if (recipients.length === 0) return [];
  const title = draft.title ?? (await defaultTitle(tx, draft.kind, actorId, draft.task.title));
  const rows = await tx
    .insert(notifications)
    .values(
      recipients.map((recipient) => ({
        tenantId: draft.task.tenantId,
        recipientId: recipient.id,
        projectId: draft.task.projectId,
        taskId: draft.task.id,
        kind: draft.kind,
        actorId,
        title: cut(title, 300),
        body: cut(draft.body ?? "", notificationBodyMax),
        runId: draft.runId ?? null,
      })),
    )
    .returning();
  await announceInboxChange(
    tx,
    rows.map((row) => row.recipientId),
  );
  return rows;
}

function cut(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

async function defaultTitle(
  tx: TaskflowTx,
  kind: NotificationKind,
  actorId: string | null,
  taskTitle: string,
): Promise<string> {
  let who = "TaskFlow";
  if (actorId) {
    const [actor] = await tx.select({ name: workers.name }).from(workers).where(eq(workers.id, actorId));
    who = actor?.name ?? "Someone";
  }
  const task = `“${cut(taskTitle, 200)}”`;
  switch (kind) {
    case "assigned":
      return `${who} assigned you ${task}`;
    case "review_requested":
      return `${who} asks for your review of ${task}`;
    case "question":
      return `${who} asks you about ${task}`;
    case "outcome":
      return `${who} reported on ${task}`;
    case "mention":
      return `${who} mentioned you on ${task}`;
    case "stop_acknowledged":
      return `${who} stopped working on ${task}`;
    case "due_soon":
      return `${task} is due soon`;
    case "overdue":
      return `${task} is overdue`;
  }
}
