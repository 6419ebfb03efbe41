import type { MarkAllRead, MarkedRead, Notification } from "@taskflow/contracts";
import { and, eq, isNull, sql } from "drizzle-orm";
import type { Actor } from "../actor.ts";
import type { TaskflowDb } from "../db/database.ts";
import { notifications } from "../db/schema/notifications.ts";
import { notFound } from "../errors.ts";
import { announceInboxChange } from "./inbox-announcements.ts";
import { receivableNotifications } from "./notification-access.ts";
import { selectNotifications, toNotification } from "./to-notification.ts";

/**
 * Marks one of the caller's notifications read (again is a no-op). Anyone else's, or one of a project the
 * caller left, is not found. The caller's other live inboxes (another tab) hear of it.
 */
export async function markNotificationRead(
  db: TaskflowDb,
  actor: Actor,
  notificationId: string,
  now: Date = new Date(),
): Promise<Notification> {
  const receivable = receivableNotifications(actor, "notification.manage");
  return db.transaction(async (tx) => {
    const mine = and(receivable, eq(notifications.id, notificationId));
    const changed = await tx
      .update(notifications)
      .set({ readAt: now })
      .where(and(mine, isNull(notifications.readAt)))
      .returning({ id: notifications.id });
    const [row] = await selectNotifications(tx).where(mine);
    if (!row) throw notFound("notification");
    if (changed.length > 0) await announceInboxChange(tx, [actor.workerId]);
    return toNotification(row);
  });
}

/** Marks every unread notification of the caller read (or every one of a kind); says how many were. */
export async function markAllNotificationsRead(
  db: TaskflowDb,
  actor: Actor,
  input: MarkAllRead,
  now: Date = new Date(),
): Promise<MarkedRead> {
  const receivable = receivableNotifications(actor, "notification.manage");
  return db.transaction(async (tx) => {
    // Counted in the database: marking 100,000 read must not carry 100,000 ids back.
    const result: unknown = await tx.execute(sql`
      with changed as (
        update ${notifications} set read_at = ${now.toISOString()}
        where ${and(
          receivable,
          isNull(notifications.readAt),
          input.kind ? eq(notifications.kind, input.kind) : undefined,
        )}
        returning 1
      )
      select count(*)::int as marked from changed`);
    const rows = (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as {
      marked: number;
    }[];
    const marked = Number(rows[0]?.marked ?? 0);
    if (marked > 0) await announceInboxChange(tx, [actor.workerId]);
    return { marked };
  });
}
