import { and, asc, eq, gt, inArray, sql } from "drizzle-orm";
import type { TaskflowDb } from "../../db/database.ts";
import {
  type EmailMode,
  type NotificationKind,
  notificationDigests,
  notifications,
} from "../../db/schema/notifications.ts";
import { workers } from "../../db/schema/workers.ts";
import { recipientStillMember } from "../notification-access.ts";
import { emailModesOf } from "../notification-settings.ts";
import {
  composeDigestMail,
  composeImmediateMail,
  type MailLinks,
  type OutgoingMail,
} from "./compose-mail.ts";
import { digestDayOf } from "./digest-day.ts";

export type SendMail = (mail: OutgoingMail) => Promise<void>;

export interface MailDeliveryOptions {
  send: SendMail;
  links: MailLinks;
  /** The hour (0–23) of each person's day, in their time zone, from which their digest goes out. */
  digestHour: number;
  now: Date;
  /** Attempts at an immediate mail before it is given up (`failed`). */
  maxAttempts?: number;
  /** Rows decided per batch. */
  batch?: number;
  onError?: (error: unknown) => void;
}

export interface MailReport {
  sent: number;
  digested: number;
  skipped: number;
  failed: number;
  digests: number;
}

function selectMailRows(db: TaskflowDb) {
  return db
    .select({
      id: notifications.id,
      seq: notifications.seq,
      recipientId: notifications.recipientId,
      kind: notifications.kind,
      title: notifications.title,
      body: notifications.body,
      taskId: notifications.taskId,
      readAt: notifications.readAt,
      email: workers.email,
      member: recipientStillMember,
    })
    .from(notifications)
    .innerJoin(workers, eq(workers.id, notifications.recipientId))
    .$dynamic();
}

async function setState(
  db: TaskflowDb,
  ids: string[],
  state: "digest" | "sent" | "skipped" | "failed",
  now: Date,
): Promise<void> {
  if (ids.length === 0) return;
  await db
    .update(notifications)
    .set({ emailState: state, ...(state === "sent" ? { emailedAt: now } : {}) })
    .where(inArray(notifications.id, ids));
}

/**
 * Decides the mail of every notification not yet decided, oldest first: mailed at once (immediate), kept for
 * the person's digest, or skipped (mail off, no address, project left). At least once: a mail sent just before
 * the process dies is sent again by the next leader.
 */
export async function deliverImmediateMail(
  db: TaskflowDb,
  options: MailDeliveryOptions,
  report: MailReport,
): Promise<void> {
  const batch = options.batch ?? 100;
  const maxAttempts = options.maxAttempts ?? 5;
  const modes = new Map<string, Record<NotificationKind, EmailMode>>();
  // Rows that failed this pass are left for the next one, not retried in a loop.
  const failedNow = new Set<string>();
  for (let round = 0; round < 20; round++) {
    const rows = await selectMailRows(db)
      .where(eq(notifications.emailState, "pending"))
      .orderBy(asc(notifications.seq))
      .limit(batch + failedNow.size);
    const todo = rows.filter((row) => !failedNow.has(row.id));
    if (todo.length === 0) return;
    const skipped: string[] = [];
    const toDigest: string[] = [];
    for (const row of todo) {
      let mine = modes.get(row.recipientId);
      if (!mine) {
        mine = await emailModesOf(db, row.recipientId);
        modes.set(row.recipientId, mine);
      }
      const mode = mine[row.kind];
      if (!row.member || !row.email || mode === "off") {
        skipped.push(row.id);
        continue;
      }
      if (mode === "digest") {
        toDigest.push(row.id);
        continue;
      }
      try {
        await options.send(
          composeImmediateMail(options.links, { workerId: row.recipientId, email: row.email }, row),
        );
        await setState(db, [row.id], "sent", options.now);
        report.sent++;
      } catch (error) {
        options.onError?.(error);
        failedNow.add(row.id);
        const [updated] = await db
          .update(notifications)
          .set({ emailAttempts: sql`${notifications.emailAttempts} + 1` })
          .where(eq(notifications.id, row.id))
          .returning({ attempts: notifications.emailAttempts });
        if ((updated?.attempts ?? maxAttempts) >= maxAttempts) {
          await setState(db, [row.id], "failed", options.now);
          report.failed++;
        }
      }
    }
    await setState(db, skipped, "skipped", options.now);
    await setState(db, toDigest, "digest", options.now);
    report.skipped += skipped.length;
    report.digested += toDigest.length;
    if (rows.length < batch + failedNow.size) return;
  }
}

/**
 * The people with notifications kept for a digest whose digest hour has come in their own zone and whose
 * digest of that day has not gone yet, each with that day. Read in pages by id, so people already done today
 * (whose later notifications wait for tomorrow) never crowd out those still waiting.
 */
async function* digestsDue(
  db: TaskflowDb,
  now: Date,
  digestHour: number,
): AsyncGenerator<{ recipientId: string; day: string }> {
  const page = 500;
  let after: string | undefined;
  for (;;) {
    const waiting = await db
      .selectDistinct({ recipientId: notifications.recipientId, timeZone: workers.timeZone })
      .from(notifications)
      .innerJoin(workers, eq(workers.id, notifications.recipientId))
      .where(
        and(
          eq(notifications.emailState, "digest"),
          after === undefined ? undefined : gt(notifications.recipientId, after),
        ),
      )
      .orderBy(asc(notifications.recipientId))
      .limit(page);
    const due = waiting.flatMap(({ recipientId, timeZone }) => {
      const day = digestDayOf(now, digestHour, timeZone);
      return day ? [{ recipientId, day }] : [];
    });
    const done =
      due.length === 0
        ? []
        : await db
            .select({ workerId: notificationDigests.workerId, day: notificationDigests.day })
            .from(notificationDigests)
            .where(
              and(
                inArray(
                  notificationDigests.workerId,
                  due.map((d) => d.recipientId),
                ),
                // at most three days at one moment: the zones run from UTC-12 to UTC+14
                inArray(notificationDigests.day, [...new Set(due.map((d) => d.day))]),
              ),
            );
    const sent = new Set(done.map((d) => `${d.workerId} ${d.day}`));
    for (const person of due) if (!sent.has(`${person.recipientId} ${person.day}`)) yield person;
    const last = waiting.at(-1);
    if (!last || waiting.length < page) return;
    after = last.recipientId;
  }
}

/**
 * Sends each person, once a day from the digest hour of their own day (their time zone, UTC until they choose
 * one), one mail with their unread notifications kept for the digest. The day is taken (notification_digests)
 * before the mail goes, so two replicas, or a restart, never send a person two digests for one day; a mail
 * that fails gives the day back, to be tried at the next tick.
 */
export async function deliverDigests(
  db: TaskflowDb,
  options: MailDeliveryOptions,
  report: MailReport,
): Promise<void> {
  for await (const { recipientId, day } of digestsDue(db, options.now, options.digestHour)) {
    const [taken] = await db
      .insert(notificationDigests)
      .values({ workerId: recipientId, day })
      .onConflictDoNothing()
      .returning({ workerId: notificationDigests.workerId });
    if (!taken) continue;
    const rows = await selectMailRows(db)
      .where(and(eq(notifications.recipientId, recipientId), eq(notifications.emailState, "digest")))
      .orderBy(asc(notifications.seq));
    // Read meanwhile, a project left, or mail of the kind turned off since: not in the digest.
    const modes = await emailModesOf(db, recipientId);
    const items = rows.filter((row) => row.member && row.readAt === null && modes[row.kind] !== "off");
    const left = rows.filter((row) => !items.includes(row)).map((row) => row.id);
    const email = rows[0]?.email;
    const finish = async (sent: string[], skipped: string[]) => {
      await setState(db, sent, "sent", options.now);
      await setState(db, skipped, "skipped", options.now);
      await db
        .update(notificationDigests)
        .set({ items: sent.length, sentAt: options.now })
        .where(and(eq(notificationDigests.workerId, recipientId), eq(notificationDigests.day, day)));
      report.skipped += skipped.length;
    };
    if (!email || items.length === 0) {
      await finish(
        [],
        rows.map((row) => row.id),
      );
      continue;
    }
    try {
      await options.send(composeDigestMail(options.links, { workerId: recipientId, email }, items, day));
    } catch (error) {
      options.onError?.(error);
      await db
        .delete(notificationDigests)
        .where(and(eq(notificationDigests.workerId, recipientId), eq(notificationDigests.day, day)));
      continue;
    }
    await finish(
      items.map((item) => item.id),
      left,
    );
    report.digests++;
  }
}
