import type { AuditEntry } from "@taskflow/contracts";
import { and, asc, desc, eq, gt, inArray } from "drizzle-orm";
import { toAuditEntry } from "../audit/audit-page.ts";
import type { TaskflowDb } from "../db/database.ts";
import { auditLog } from "../db/schema/audit.ts";

/**
 * The PostgreSQL channel every audit row of a project is announced on (payload: `<projectId>:<auditId>`),
 * and revoked credentials of a tenant (`access:<tenantId>`, access-announcements.ts).
 */
export const eventsChannel = "taskflow_events";

/** The payload prefix of a tenant's access announcements (never a project id: those are UUIDs). */
export const accessAnnouncementPrefix = "access:";

export type ProjectEventListener = (event: AuditEntry) => void;

/**
 * Fans committed changes out to live subscribers. Every audit row is NOTIFYed inside its
 * transaction, so it arrives only once committed, on every replica listening. The hub fetches
 * each row once, however many subscribers watch its project.
 */
export class ProjectEventHub {
  readonly #db: TaskflowDb;
  readonly #subscribers = new Map<string, Set<ProjectEventListener>>();
  readonly #onClose = new Set<() => void>();
  readonly #accessWatchers = new Map<string, Set<() => void>>();
  #closed = false;
  #pending: { projectId: string; id: number }[] = [];
  #flushing = false;

  constructor(db: TaskflowDb) {
    this.#db = db;
  }

  /** Feed it the payloads of the `taskflow_events` channel. */
  readonly onNotification = (payload: string): void => {
    if (payload.startsWith(accessAnnouncementPrefix)) {
      const tenantId = payload.slice(accessAnnouncementPrefix.length);
      for (const watcher of [...(this.#accessWatchers.get(tenantId) ?? [])]) watcher();
      return;
    }
    const [projectId, id] = payload.split(":");
    if (!projectId || !id || !this.#subscribers.has(projectId)) return;
    this.#pending.push({ projectId, id: Number(id) });
    void this.#flush();
  };

  /**
   * Listens to a project's changes until the returned function is called. `onClose` runs when the
   * hub closes (the process drains): streams end so the server can finish.
   */
  subscribe(projectId: string, listener: ProjectEventListener, onClose?: () => void): () => void {
    if (onClose) {
      if (this.#closed) queueMicrotask(onClose);
      else this.#onClose.add(onClose);
    }
    let set = this.#subscribers.get(projectId);
    if (!set) {
      set = new Set();
      this.#subscribers.set(projectId, set);
    }
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.#subscribers.delete(projectId);
      if (onClose) this.#onClose.delete(onClose);
    };
  }

  /**
   * Calls `watcher` whenever a credential of the tenant is revoked (on any replica), until the returned
   * function is called: its streams decide again at once instead of at their next interval.
   */
  watchAccess(tenantId: string, watcher: () => void): () => void {
    let set = this.#accessWatchers.get(tenantId);
    if (!set) {
      set = new Set();
      this.#accessWatchers.set(tenantId, set);
    }
    set.add(watcher);
    return () => {
      set.delete(watcher);
      if (set.size === 0) this.#accessWatchers.delete(tenantId);
    };
  }

  /** Ends every open stream (SIGTERM): clients reconnect elsewhere with Last-Event-ID. */
  close(): void {
    this.#closed = true;
    for (const end of [...this.#onClose]) end();
    this.#onClose.clear();
  }

  subscriberCount(): number {
    let n = 0;
    for (const set of this.#subscribers.values()) n += set.size;
    return n;
  }

  /** Rows announced while a batch was loading are loaded in the next batch, in id order. */
  async #flush(): Promise<void> {
    if (this.#flushing) return;
    this.#flushing = true;
    try {
      while (this.#pending.length > 0) {
        const batch = this.#pending;
        this.#pending = [];
        const rows = await this.#db
          .select()
          .from(auditLog)
          .where(
            inArray(
              auditLog.id,
              batch.map((b) => b.id),
            ),
          )
          .orderBy(asc(auditLog.id));
        for (const row of rows) {
          if (!row.projectId) continue;
          const event = toAuditEntry(row);
          for (const listener of this.#subscribers.get(row.projectId) ?? []) listener(event);
        }
      }
    } catch {
      // A failed fetch loses live delivery of that batch only; clients resume with Last-Event-ID.
    } finally {
      this.#flushing = false;
    }
  }
}

/** Changes of a project after `afterId`, oldest first: what a reconnecting client missed. */
export async function projectEventsSince(
  db: TaskflowDb,
  tenantId: string,
  projectId: string,
  afterId: number,
  limit = 1000,
): Promise<AuditEntry[]> {
  const rows = await db
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.tenantId, tenantId), eq(auditLog.projectId, projectId), gt(auditLog.id, afterId)))
    .orderBy(asc(auditLog.id))
    .limit(limit);
  return rows.map(toAuditEntry);
}

/** How many of a project's latest changes a new connection (no Last-Event-ID) is given before the live ones. */
export const freshStreamReplay = 100;

/**
 * Where a new connection's stream starts: just before the project's latest `freshStreamReplay` changes, so a
 * client sees where things stand without reading the whole history (a busy project's runs to many thousands;
 * `Last-Event-ID: 0` asks for all of it). Decided before the stream answers, so no change made after that
 * answer can fall outside both the replay and the live feed.
 */
export async function freshStreamStart(db: TaskflowDb, tenantId: string, projectId: string): Promise<number> {
  const [oldestShown] = await db
    .select({ id: auditLog.id })
    .from(auditLog)
    .where(and(eq(auditLog.tenantId, tenantId), eq(auditLog.projectId, projectId)))
    .orderBy(desc(auditLog.id))
    .offset(freshStreamReplay - 1)
    .limit(1);
  return oldestShown ? oldestShown.id - 1 : 0;
}

/**
 * The project's latest change (0 when it has none): where a stream that replays nothing starts (an MCP
 * `subscriptions/listen`, whose client reads the resource's state itself). Read before the stream answers,
 * as freshStreamStart is, so no change made after that answer falls outside the live feed.
 */
export async function latestProjectEventId(
  db: TaskflowDb,
  tenantId: string,
  projectId: string,
): Promise<number> {
  const [latest] = await db
    .select({ id: auditLog.id })
    .from(auditLog)
    .where(and(eq(auditLog.tenantId, tenantId), eq(auditLog.projectId, projectId)))
    .orderBy(desc(auditLog.id))
    .limit(1);
  return latest ? latest.id : 0;
}
