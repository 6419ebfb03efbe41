import type { Notification } from "@taskflow/contracts";
import { eq } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { TaskflowExecutor } from "../db/database.ts";
import { notifications } from "../db/schema/notifications.ts";
import { workers } from "../db/schema/workers.ts";
import { toWorkerSummary } from "../workers/to-worker.ts";
import type { NotificationRow } from "./notify.ts";

const actors = alias(workers, "notification_actor");

/** Notifications joined with whoever caused them; add `where`, `orderBy`, `limit`. */
export function selectNotifications(db: TaskflowExecutor) {
  return db
    .select({
      notification: notifications,
      actor: { id: actors.id, kind: actors.kind, handle: actors.handle, name: actors.name },
    })
    .from(notifications)
    .leftJoin(actors, eq(actors.id, notifications.actorId))
    .$dynamic();
}

export function toNotification(row: {
  notification: NotificationRow;
  actor: Parameters<typeof toWorkerSummary>[0] | null;
}): Notification {
  const n = row.notification;
  return {
    id: n.id,
    seq: String(n.seq),
    kind: n.kind,
    title: n.title,
    body: n.body,
    projectId: n.projectId,
    taskId: n.taskId,
    runId: n.runId,
    actor: row.actor ? toWorkerSummary(row.actor) : null,
    readAt: n.readAt?.toISOString() ?? null,
    createdAt: n.createdAt.toISOString(),
  };
}
