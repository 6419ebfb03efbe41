import type { AuditEntry } from "@taskflow/contracts";
import type { TaskflowDb } from "../db/database.ts";
import {
  type AccessEnd,
  accessChangingActions,
  accessEndFor,
  eventAccessRecheckMs,
  expiredEnd,
} from "./event-access.ts";
import { type ProjectEventHub, projectEventsSince } from "./project-events.ts";

export type ProjectFeedItem =
  | { kind: "event"; entry: AuditEntry }
  | { kind: "ping" }
  /** The caller lost access (or its credential expired): the last item; the stream ends after it. */
  | { kind: "ended"; end: AccessEnd };

export interface ProjectFeedOptions {
  hub: ProjectEventHub;
  db: TaskflowDb;
  tenantId: string;
  projectId: string;
  /** Replay what came after this audit id (Last-Event-ID, or freshStreamStart for a new connection); 0 replays the project's history. */
  afterId: number;
  /**
   * Decides again whether the caller may receive the project's events, exactly as when the stream opened
   * (the credential resolved again, then authorizeProjectEvents); throws when not. The opening decision is
   * taken to have just been made.
   */
  reauthorize: () => Promise<void>;
  /** When the credential stops being valid (the token's `exp`, the key's `expires_at`), if ever. */
  expiresAt?: Date | undefined;
  /** The client went away. */
  signal: AbortSignal;
  heartbeatMs?: number;
  recheckMs?: number;
  now?: () => number;
  /** Only these of the project's events (a run's: stream-run-events); access-changing ones are still decided on. */
  filter?: (entry: AuditEntry) => boolean;
  /**
   * A page of what the client missed (at most `limit`, oldest first), when not the project's events after
   * `afterId` (projectEventsSince).
   */
  replay?: (afterId: number, limit: number) => Promise<AuditEntry[]>;
}

/**
 * A project's events for one caller, as long as the caller may receive them: the replay after `afterId`,
 * then each change as it commits, a ping when idle, and, when the caller's access ends, a last `ended` item.
 * Every event is delivered on a decision at most `recheckMs` old, made by `reauthorize`; an event that may
 * change access (accessChangingActions) is decided before it and anything after it is delivered, and so is
 * the next event after a revoked credential of the tenant is announced (or the stream decides at once when
 * idle); nothing is delivered at or after `expiresAt`. Ends quietly when the client goes or the hub closes (SIGTERM).
 */
/** How many past entries are read at once when a stream catches up. */
const replayPageSize = 1000;
/** How many delivered ids a stream remembers to tell a late-committed change from one already sent. */
const rememberedIds = 10_000;

export async function* projectFeed(options: ProjectFeedOptions): AsyncGenerator<ProjectFeedItem> {
  const { hub, projectId, signal } = options;
  const now = options.now ?? Date.now;
  const heartbeatMs = options.heartbeatMs ?? 15_000;
  const recheckMs = options.recheckMs ?? eventAccessRecheckMs;
  const expiresAt = options.expiresAt?.getTime() ?? Number.POSITIVE_INFINITY;
  // Spread the re-decisions of streams opened together (a board reloaded by many at once) over the last
  // fifth of the interval, so they do not all reach the database in the same instant.
  const nextRecheckDelay = () => recheckMs * (0.8 + Math.random() * 0.2);

  const queue: AuditEntry[] = [];
  let wake: (() => void) | undefined;
  let closed = false;
  const stop = () => {
    closed = true;
    wake?.();
  };
  // Subscribe before replaying, so nothing committed in between falls through the gap.
  const unsubscribe = hub.subscribe(
    projectId,
    (event) => {
      queue.push(event);
      wake?.();
    },
    stop,
  );
  signal.addEventListener("abort", stop, { once: true });
  if (signal.aborted) stop();

  let recheckAt = now() + nextRecheckDelay();
  // Requests to decide again before delivering more (an access-changing event, an announcement), and how many
  // of them a finished decision has answered: one asked for while a decision runs is not answered by it.
  let requested = 0;
  let answered = 0;
  const requestDecision = () => {
    requested++;
    wake?.();
  };
  // A credential of the tenant was revoked (announceAccessChange): decide again before anything more.
  const unwatch = hub.watchAccess(options.tenantId, requestDecision);
  let pingAt = now() + heartbeatMs;
  /** Undefined while the caller may still receive events; else why not. */
  const stillAllowed = async (): Promise<AccessEnd | undefined> => {
    if (now() >= expiresAt) return expiredEnd;
    if (requested === answered && now() < recheckAt) return undefined;
    const asked = requested;
    // A decision is as old as the moment it started reading.
    const startedAt = now();
    try {
      await options.reauthorize();
    } catch (error) {
      return accessEndFor(error);
    }
    answered = asked;
    recheckAt = startedAt + nextRecheckDelay();
    // The decision took time: the credential may have run out meanwhile.
    return now() >= expiresAt ? expiredEnd : undefined;
  };

  let sent = options.afterId;
  // The history after `sent` is read a page at a time, each page after the last entry delivered, until a short
  // page says it is caught up; meanwhile the hub's changes wait in `queue`. (Reading one page only lost what
  // committed between the answer and the subscription once a project had more history than a page.)
  const readPage =
    options.replay ??
    ((afterId: number, limit: number) =>
      projectEventsSince(options.db, options.tenantId, projectId, afterId, limit));
  let backlog: AuditEntry[] = [];
  let caughtUp = false;
  const nextEntry = async (): Promise<AuditEntry | undefined> => {
    while (!caughtUp && backlog.length === 0 && !closed) {
      backlog = await readPage(sent, replayPageSize);
      caughtUp = backlog.length < replayPageSize;
    }
    const replayed = backlog.shift();
    if (replayed) return replayed;
    if (!caughtUp) return undefined;
    for (let live = queue.shift(); live; live = queue.shift()) {
      const id = Number(live.id);
      if (id > options.afterId && !delivered.has(id)) return live;
    }
    return undefined;
  };
  // Ids are taken when a row is written, not when it commits: of two concurrent changes the later id may be
  // announced first, so a live change below `sent` is still new unless it was delivered (read again in a
  // replay page, say). The most recent ids delivered are remembered for that.
  const delivered = new Set<number>();
  const remember = (id: number) => {
    delivered.add(id);
    if (delivered.size > rememberedIds) delivered.delete(delivered.values().next().value as number);
  };

  try {
    while (!closed) {
      for (let entry = await nextEntry(); entry && !closed; entry = closed ? undefined : await nextEntry()) {
        if (accessChangingActions.has(entry.action)) requested++;
        if (options.filter && !options.filter(entry)) continue;
        const end = await stillAllowed();
        if (end) {
          yield { kind: "ended", end };
          return;
        }
        if (closed) break;
        sent = Math.max(sent, Number(entry.id));
        remember(Number(entry.id));
        pingAt = now() + heartbeatMs;
        yield { kind: "event", entry };
      }
      if (closed) break;
      const end = await stillAllowed();
      if (end) {
        yield { kind: "ended", end };
        return;
      }
      if (now() >= pingAt) {
        pingAt = now() + heartbeatMs;
        yield { kind: "ping" };
        continue;
      }
      if (queue.length > 0 || closed) continue;
      // Sleep until a change arrives, the client goes, or the next ping, re-decision or expiry is due.
      const wait = Math.max(0, Math.min(pingAt, recheckAt, expiresAt) - now());
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, wait);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wake = undefined;
    }
  } finally {
    signal.removeEventListener("abort", stop);
    unwatch();
    unsubscribe();
  }
}
