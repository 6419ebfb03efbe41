import type { Notification, UnreadCount } from "@taskflow/contracts";
import { and, asc, desc, eq, gt } from "drizzle-orm";
import type { TaskflowDb } from "../db/database.ts";
import { notifications } from "../db/schema/notifications.ts";
import { type AccessEnd, accessEndFor, eventAccessRecheckMs, expiredEnd } from "../events/event-access.ts";
import type { InboxHub } from "./inbox-hub.ts";
import { receivableBy } from "./notification-access.ts";
import { selectNotifications, toNotification } from "./to-notification.ts";
import { countUnread } from "./unread-count.ts";

export type InboxFeedItem =
  /** The unread count: first, then whenever it changes (a new one, one read, a project left). */
  | { kind: "count"; count: UnreadCount }
  | { kind: "notification"; notification: Notification }
  | { kind: "ping" }
  /** The person's access ended (credential expired, revoked, banned): the last item. */
  | { kind: "ended"; end: AccessEnd };

export interface InboxFeedOptions {
  hub: InboxHub;
  db: TaskflowDb;
  recipientId: string;
  /** Deliver the notifications after this sequence number first (Last-Event-ID); 0: none, only what comes. */
  afterSeq: number;
  /** Decides again whether the caller may still read this inbox (the credential resolved again); throws when not. */
  reauthorize: () => Promise<void>;
  expiresAt?: Date | undefined;
  signal: AbortSignal;
  heartbeatMs?: number;
  recheckMs?: number;
  now?: () => number;
}

/** At most this many missed notifications are replayed on a reconnect; the count tells of the rest. */
const replayLimit = 100;

/**
 * A person's inbox, live, for as long as they may read it: the unread count, then each notification as it
 * commits and the count when it changes. What is delivered is read through receivableBy at that moment, so a
 * project the person left stops contributing at once (its notifications leave the count). The credential
 * is decided again at least every `recheckMs` (a revoked token or key, a ban), the count recomputed with it
 * (a project deleted), and nothing is delivered at or after `expiresAt`.
 */
export async function* inboxFeed(options: InboxFeedOptions): AsyncGenerator<InboxFeedItem> {
  const { hub, db, recipientId, signal } = options;
  const now = options.now ?? Date.now;
  const heartbeatMs = options.heartbeatMs ?? 15_000;
  const recheckMs = options.recheckMs ?? eventAccessRecheckMs;
  const expiresAt = options.expiresAt?.getTime() ?? Number.POSITIVE_INFINITY;
  const nextRecheckDelay = () => recheckMs * (0.8 + Math.random() * 0.2);

  let changed = true;
  let wake: (() => void) | undefined;
  let closed = false;
  const stop = () => {
    closed = true;
    wake?.();
  };
  const unwatch = hub.watch(
    recipientId,
    () => {
      changed = true;
      wake?.();
    },
    stop,
  );
  signal.addEventListener("abort", stop, { once: true });
  if (signal.aborted) stop();

  let recheckAt = now() + nextRecheckDelay();
  let pingAt = now() + heartbeatMs;
  let sentSeq = options.afterSeq;
  let lastCount: string | undefined;
  const stillAllowed = async (): Promise<AccessEnd | undefined> => {
    if (now() >= expiresAt) return expiredEnd;
    if (now() < recheckAt) return undefined;
    const startedAt = now();
    try {
      await options.reauthorize();
    } catch (error) {
      return accessEndFor(error);
    }
    recheckAt = startedAt + nextRecheckDelay();
    // A project deleted announces nothing to its members' inboxes: recount with every decision.
    changed = true;
    return now() >= expiresAt ? expiredEnd : undefined;
  };

  try {
    // Nothing to replay: start after the newest notification there is (the count says what is unread).
    if (sentSeq === 0) sentSeq = await newestSeq(db, recipientId);
    while (!closed) {
      const end = await stillAllowed();
      if (end) {
        yield { kind: "ended", end };
        return;
      }
      if (changed) {
        changed = false;
        const fresh = await selectNotifications(db)
          .where(and(receivableBy(recipientId), gt(notifications.seq, sentSeq)))
          .orderBy(asc(notifications.seq))
          .limit(replayLimit);
        for (const row of fresh) {
          sentSeq = Math.max(sentSeq, row.notification.seq);
          if (closed) break;
          yield { kind: "notification", notification: toNotification(row) };
        }
        const count = await countUnread(db, recipientId);
        const key = JSON.stringify(count);
        if (key !== lastCount && !closed) {
          lastCount = key;
          pingAt = now() + heartbeatMs;
          yield { kind: "count", count };
        }
        continue;
      }
      if (now() >= pingAt) {
        pingAt = now() + heartbeatMs;
        yield { kind: "ping" };
        continue;
      }
      if (closed) break;
      const wait = Math.max(0, Math.min(pingAt, recheckAt, expiresAt) - now());
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, wait);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
        if (changed || closed) wake();
      });
      wake = undefined;
    }
  } finally {
    signal.removeEventListener("abort", stop);
    unwatch();
  }
}

/** The person's newest notification's sequence number (0 with none): a fresh stream starts after it. */
async function newestSeq(db: TaskflowDb, recipientId: string): Promise<number> {
  const [row] = await db
    .select({ seq: notifications.seq })
    .from(notifications)
    .where(eq(notifications.recipientId, recipientId))
    .orderBy(desc(notifications.seq))
    .limit(1);
  return row?.seq ?? 0;
}
