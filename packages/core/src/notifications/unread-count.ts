import type { NotificationKind, UnreadCount } from "@taskflow/contracts";
import { and, count, eq, isNull, type SQL } from "drizzle-orm";
import type { Actor } from "../actor.ts";
import type { TaskflowExecutor } from "../db/database.ts";
import { notifications } from "../db/schema/notifications.ts";
import { receivableBy, receivableNotifications } from "./notification-access.ts";

/**
 * How many of the caller's notifications are unread, in all and per kind (only `kind` when given). One
 * query over the unread index (recipient, project, kind), the projects the person is a member of semi-joined.
 */
export async function unreadCount(
  db: TaskflowExecutor,
  actor: Actor,
  kind?: NotificationKind,
): Promise<UnreadCount> {
  return countReceivable(db, receivableNotifications(actor, "notification.read"), kind);
}

/** The count itself, for a recipient already decided (the live stream decides once, then counts often). */
export function countUnread(
  db: TaskflowExecutor,
  recipientId: string,
  kind?: NotificationKind,
): Promise<UnreadCount> {
  return countReceivable(db, receivableBy(recipientId), kind);
}

async function countReceivable(
  db: TaskflowExecutor,
  receivable: SQL,
  kind?: NotificationKind,
): Promise<UnreadCount> {
  const rows = await db
    .select({ kind: notifications.kind, n: count() })
    .from(notifications)
    .where(and(receivable, isNull(notifications.readAt), kind ? eq(notifications.kind, kind) : undefined))
    .groupBy(notifications.kind);
  const byKind: Record<string, number> = {};
  let unread = 0;
  for (const row of rows) {
    byKind[row.kind] = row.n;
    unread += row.n;
  }
  return { unread, byKind };
}
