import type { NotificationPage, NotificationQuery } from "@taskflow/contracts";
import { and, desc, eq, isNull, lt } from "drizzle-orm";
import type { Actor } from "../actor.ts";
import type { TaskflowExecutor } from "../db/database.ts";
import { notifications } from "../db/schema/notifications.ts";
import { invalidInput } from "../errors.ts";
import { decodeCursor, encodeCursor } from "../pagination/keyset-cursor.ts";
import { receivableNotifications } from "./notification-access.ts";
import { selectNotifications, toNotification } from "./to-notification.ts";

const ordering = "seq_desc";

/** The caller's inbox, newest first, filtered by kind and unread, in cursor pages. */
export async function listNotifications(
  db: TaskflowExecutor,
  actor: Actor,
  query: NotificationQuery,
): Promise<NotificationPage> {
  const receivable = receivableNotifications(actor, "notification.read");
  const after = query.cursor ? decodeCursor(query.cursor, ordering, 1)[0] : undefined;
  if (after !== undefined && (typeof after !== "number" || !Number.isSafeInteger(after))) {
    throw invalidInput("query.cursor", "not a cursor this API handed out");
  }
  const rows = await selectNotifications(db)
    .where(
      and(
        receivable,
        query.kind ? eq(notifications.kind, query.kind) : undefined,
        query.unread === "true" ? isNull(notifications.readAt) : undefined,
        typeof after === "number" ? lt(notifications.seq, after) : undefined,
      ),
    )
    .orderBy(desc(notifications.seq))
    .limit(query.limit + 1);
  const items = rows.slice(0, query.limit).map(toNotification);
  const last = rows.length > query.limit ? rows[query.limit - 1] : undefined;
  return { items, nextCursor: last ? encodeCursor(ordering, [last.notification.seq]) : null };
}
