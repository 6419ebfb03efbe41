import type { NotificationSettings, NotificationSettingsUpdate } from "@taskflow/contracts";
import { eq, sql } from "drizzle-orm";
import type { Actor } from "../actor.ts";
import { recordAudit } from "../audit/record-audit.ts";
import type { TaskflowDb, TaskflowExecutor, TaskflowTx } from "../db/database.ts";
import {
  type EmailMode,
  type NotificationKind,
  notificationKinds,
  notificationSettings,
} from "../db/schema/notifications.ts";
import { workers } from "../db/schema/workers.ts";
import { notFound } from "../errors.ts";
import { notificationRules } from "./kinds.ts";
import { authorizeInbox } from "./notification-access.ts";

/** A person's mail per kind: their choice, or the kind's default. */
export async function emailModesOf(
  db: TaskflowExecutor,
  workerId: string,
): Promise<Record<NotificationKind, EmailMode>> {
  const chosen = await db
    .select({ kind: notificationSettings.kind, email: notificationSettings.email })
    .from(notificationSettings)
    .where(eq(notificationSettings.workerId, workerId));
  const modes = Object.fromEntries(
    notificationKinds.map((kind) => [kind, notificationRules[kind].defaultEmail]),
  ) as Record<NotificationKind, EmailMode>;
  for (const row of chosen) modes[row.kind] = row.email;
  return modes;
}

async function settingsOf(db: TaskflowExecutor, workerId: string): Promise<NotificationSettings> {
  const [worker] = await db.select({ email: workers.email }).from(workers).where(eq(workers.id, workerId));
  if (!worker) throw notFound("worker");
  const modes = await emailModesOf(db, workerId);
  return {
    emailAddress: worker.email,
    kinds: notificationKinds.map((kind) => ({
      kind,
      what: notificationRules[kind].what,
      inApp: "always" as const,
      email: modes[kind],
      defaultEmail: notificationRules[kind].defaultEmail,
    })),
  };
}

/** The caller's notification settings: the inbox always; mail per kind. */
export async function getNotificationSettings(db: TaskflowDb, actor: Actor): Promise<NotificationSettings> {
  authorizeInbox(actor, "notification.read");
  return settingsOf(db, actor.workerId);
}

/** Writes a person's mail choices (kinds left out keep theirs), audited as a change of the worker. */
export async function writeEmailModes(
  tx: TaskflowTx,
  actor: Actor,
  workerId: string,
  changes: Partial<Record<NotificationKind, EmailMode>>,
  action: "notification_settings.changed" | "notification_settings.unsubscribed",
): Promise<void> {
  const before = await emailModesOf(tx, workerId);
  // Only what changes is written and audited: the same choice again is no change.
  const entries = Object.entries(changes).filter(
    (entry): entry is [NotificationKind, EmailMode] =>
      entry[1] !== undefined && before[entry[0] as NotificationKind] !== entry[1],
  );
  if (entries.length === 0) return;
  const now = new Date();
  await tx
    .insert(notificationSettings)
    .values(entries.map(([kind, email]) => ({ workerId, kind, email, updatedAt: now })))
    .onConflictDoUpdate({
      target: [notificationSettings.workerId, notificationSettings.kind],
      set: { email: sql`excluded.email`, updatedAt: now },
    });
  await recordAudit(tx, actor, {
    entityType: "worker",
    entityId: workerId,
    action,
    before: { email: Object.fromEntries(entries.map(([kind]) => [kind, before[kind]])) },
    after: { email: Object.fromEntries(entries) },
  });
}

/** Changes the caller's mail per kind; kinds left out keep theirs. */
export async function updateNotificationSettings(
  db: TaskflowDb,
  actor: Actor,
  changes: NotificationSettingsUpdate,
): Promise<NotificationSettings> {
  authorizeInbox(actor, "notification.manage");
  return db.transaction(async (tx) => {
    await writeEmailModes(tx, actor, actor.workerId, changes, "notification_settings.changed");
    return settingsOf(tx, actor.workerId);
  });
}
