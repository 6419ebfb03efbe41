import type { NotificationKind, UnreadCount } from "@taskflow/contracts";
import { and, count, eq, isNull, sql } from "drizzle-orm";
import type { Actor } from "../actor.ts";
import type { TaskflowExecutor } from "../db/database.ts";
import { notifications } from "../db/schema/notifications.ts";
import { projectsOfMember, receivableNotifications } from "./notification-access.ts";

/** How many of the caller's notifications are unread, in all and per kind (only `kind` when given). */
export async function unreadCount(
  db: TaskflowExecutor,
  actor: Actor,
  kind?: NotificationKind,
): Promise<UnreadCount> {
  receivableNotifications(actor, "notification.read");
  return countUnread(db, actor.workerId, kind);
}

/**
 * The count itself, for a recipient already decided (the live stream decides once, then counts often): the
 * receivableBy rule, grouped first. The person's unread rows are counted per project and kind straight from the
 * unread index (recipient, project, kind: an index-only scan, grouped as it is read), and only then are the
 * groups of projects they are a member of kept: a join over a few hundred groups instead of every unread row
 * (half the time with 20,000 unread: `npm run bench:inbox -w apps/api`).
 */
export async function countUnread(
  db: TaskflowExecutor,
  recipientId: string,
  kind?: NotificationKind,
): Promise<UnreadCount> {
  const perProject = db
    .select({ projectId: notifications.projectId, kind: notifications.kind, n: count().as("n") })
    .from(notifications)
    .where(
      and(
        eq(notifications.recipientId, recipientId),
        isNull(notifications.readAt),
        kind ? eq(notifications.kind, kind) : undefined,
      ),
    )
    .groupBy(notifications.projectId, notifications.kind)
    .as("per_project");
  const rows = await db
    .select({ kind: perProject.kind, n: sql<number>`sum(${perProject.n})::int` })
    .from(perProject)
    .where(sql`${perProject.projectId} in (${projectsOfMember(recipientId)})`)
    .groupBy(perProject.kind);
  const byKind: Record<string, number> = {};
  let unread = 0;
  for (const row of rows) {
    byKind[row.kind] = Number(row.n);
    unread += Number(row.n);
  }
  return { unread, byKind };
}
