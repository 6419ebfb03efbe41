import { and, asc, eq, inArray, isNull, lt, lte, or, sql } from "drizzle-orm";
import { toAuditEntry } from "../audit/audit-page.ts";
import type { TaskflowDb } from "../db/database.ts";
import { auditLog } from "../db/schema/audit.ts";
import { webhookDeliveries, webhooks } from "../db/schema/webhooks.ts";
import type { SubjectRevokedCheck } from "../personal-tokens/voided-token-sweeper.ts";
import { type PostOutcome, postWebhook } from "./post-webhook.ts";
import { signWebhookPayload } from "./signature.ts";
import type { WebhookRow } from "./to-webhook.ts";
import { webhookOwnerRefusal } from "./webhook-owner.ts";
import { pauseWebhook, settleWebhookOwners } from "./webhook-pause.ts";

/** The PostgreSQL channel the outbox trigger wakes dispatchers on (empty payload). */
export const webhooksChannel = "taskflow_webhooks";

export interface WebhookDispatcherOptions {
  /** Loopback and private targets allowed (`WEBHOOK_ALLOW_PRIVATE_TARGETS`); default false. */
  allowPrivateTargets?: boolean;
  /** Per attempt, connect to last header; default 10 s. */
  timeoutMs?: number;
  /** First retry delay, doubled per attempt; default 10 s. */
  retryBaseMs?: number;
  /** Longest retry delay; default 1 h. */
  retryCapMs?: number;
  /** Attempts before a delivery is failed; default 8. */
  maxAttempts?: number;
  /** How often to look for due deliveries without a notification; default 5 s. */
  pollIntervalMs?: number;
  /** Deliveries in flight at once per process; default 16. */
  concurrency?: number;
  /** Delivered and failed deliveries are dropped from the log after this many days; default 30. */
  retentionDays?: number;
  /**
   * How often every active webhook's owner is checked with no delivery due (sweepOwners); default 60 s,
   * inside the window in which the SSO's revocation feed names a banned person.
   */
  ownerSweepIntervalMs?: number;
  /** The SSO's revocation feed: a webhook whose owner was banned or deleted since it was made stops. */
  isSubjectRevoked?: SubjectRevokedCheck;
  onError?: (error: unknown) => void;
}

type Settings = Required<Omit<WebhookDispatcherOptions, "onError" | "isSubjectRevoked">>;

export const webhookDispatcherDefaults: Settings = {
  allowPrivateTargets: false,
  timeoutMs: 10_000,
  retryBaseMs: 10_000,
  retryCapMs: 3_600_000,
  maxAttempts: 8,
  pollIntervalMs: 5_000,
  concurrency: 16,
  retentionDays: 30,
  ownerSweepIntervalMs: 60_000,
};

const pruneIntervalMs = 3_600_000;

interface Claimed {
  id: number;
  attempts: number;
  action: string;
  url: string;
  secret: string;
  audit: typeof auditLog.$inferSelect | null;
}

/**
 * Sends the webhook outbox. Each replica runs one: woken by `taskflow_webhooks` and by polling,
 * it claims due deliveries with FOR UPDATE SKIP LOCKED and a lease (so replicas never send the
 * same attempt twice), POSTs them off any request path, and records the outcome: delivered, a
 * retry with exponential backoff, or failed after the last attempt. A delivery whose sender died
 * is taken again once its lease lapses (at-least-once delivery; receivers dedupe on the id).
 * A webhook sends with its owner's access: each claim asks the owner rule (webhookOwnerRefusal) of every
 * webhook it would send for, and pauses instead those whose owner may no longer receive the project's
 * events (their deliveries wait, unattempted); a sweep asks it of every active webhook each minute.
 */
export class WebhookDispatcher {
  readonly #db: TaskflowDb;
  readonly #settings: Settings;
  readonly #onError: (error: unknown) => void;
  readonly #isSubjectRevoked: SubjectRevokedCheck | undefined;
  readonly #inFlight = new Map<number, { done: Promise<void>; abort: AbortController }>();
  readonly #timers = new Set<NodeJS.Timeout>();
  #poll: NodeJS.Timeout | undefined;
  #pruning: NodeJS.Timeout | undefined;
  #ownerSweep: NodeJS.Timeout | undefined;
  #sweeping: Promise<unknown> = Promise.resolve();
  #running = false;
  #pumping: Promise<void> | undefined;
  #again = false;

  constructor(db: TaskflowDb, options: WebhookDispatcherOptions = {}) {
    this.#db = db;
    const given = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined));
    this.#settings = { ...webhookDispatcherDefaults, ...given } as Settings;
    this.#onError = options.onError ?? (() => {});
    this.#isSubjectRevoked = options.isSubjectRevoked;
  }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#poll = setInterval(() => this.wake(), this.#settings.pollIntervalMs);
    this.#poll.unref();
    this.#pruning = setInterval(() => this.prune().catch(this.#onError), pruneIntervalMs);
    this.#pruning.unref();
    this.#ownerSweep = setInterval(() => {
      this.#sweeping = this.sweepOwners().catch(this.#onError);
    }, this.#settings.ownerSweepIntervalMs);
    this.#ownerSweep.unref();
    this.wake();
  }

  /** Feed it the notifications of the `taskflow_webhooks` channel. */
  readonly onNotification = (): void => this.wake();

  /** Looks for due deliveries now. */
  wake(): void {
    if (!this.#running) return;
    if (this.#pumping) {
      this.#again = true;
      return;
    }
    this.#pumping = this.#pump().finally(() => {
      this.#pumping = undefined;
      // A wake-up that came while the last claim was finishing is not lost.
      if (this.#again) this.wake();
    });
  }

  /** Stops claiming; attempts in flight are cut short and handed back untouched for another sender. */
  async stop(): Promise<void> {
    this.#running = false;
    if (this.#poll) clearInterval(this.#poll);
    if (this.#pruning) clearInterval(this.#pruning);
    if (this.#ownerSweep) clearInterval(this.#ownerSweep);
    await this.#sweeping;
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    await this.#pumping;
    for (const { abort } of this.#inFlight.values()) abort.abort();
    await Promise.allSettled([...this.#inFlight.values()].map((f) => f.done));
  }

  /** Drops finished deliveries older than the retention from the log (hourly, on every replica). */
  async prune(): Promise<number> {
    const dropped = await this.#db
      .delete(webhookDeliveries)
      .where(
        and(
          inArray(webhookDeliveries.status, ["delivered", "failed"]),
          lt(webhookDeliveries.createdAt, sql`now() - ${this.#settings.retentionDays} * interval '1 day'`),
        ),
      )
      .returning({ id: webhookDeliveries.id });
    return dropped.length;
  }

  /**
   * Pauses every active webhook whose owner may no longer receive its project's events (the owner rule,
   * with the revocation feed), whether or not anything is due: a banned person's webhook stops even in a
   * quiet project, while the feed still names them. Returns how many were paused.
   */
  async sweepOwners(): Promise<number> {
    const active = await this.#db.select().from(webhooks).where(eq(webhooks.active, true));
    const settled = await settleWebhookOwners(this.#db, active, { isSubjectRevoked: this.#isSubjectRevoked });
    return settled.filter((row) => !row.active).length;
  }

  async #pump(): Promise<void> {
    try {
      do {
        this.#again = false;
        const free = this.#settings.concurrency - this.#inFlight.size;
        if (!this.#running || free <= 0) return;
        const claimed = await this.#claim(free);
        for (const delivery of claimed) this.#launch(delivery);
        if (claimed.length === free) this.#again = true;
      } while (this.#again && this.#running);
    } catch (error) {
      this.#onError(error);
    }
  }

  #launch(delivery: Claimed): void {
    const abort = new AbortController();
    const done = this.#deliver(delivery, abort.signal)
      .catch((error: unknown) => this.#onError(error))
      .finally(() => {
        this.#inFlight.delete(delivery.id);
        this.wake();
      });
    this.#inFlight.set(delivery.id, { done, abort });
  }

  /** Takes up to `limit` due deliveries of active webhooks, counting the attempt and leasing them. */
  async #claim(limit: number): Promise<Claimed[]> {
    const leaseMs = this.#settings.timeoutMs + 30_000;
    return this.#db.transaction(async (tx) => {
      const due = await tx
        .select({ id: webhookDeliveries.id, webhook: webhooks })
        .from(webhookDeliveries)
        .innerJoin(webhooks, eq(webhooks.id, webhookDeliveries.webhookId))
        .where(
          and(
            inArray(webhookDeliveries.status, ["pending", "retrying"]),
            lte(webhookDeliveries.nextAttemptAt, sql`now()`),
            or(isNull(webhookDeliveries.lockedUntil), lt(webhookDeliveries.lockedUntil, sql`now()`)),
            eq(webhooks.active, true),
          ),
        )
        .orderBy(asc(webhookDeliveries.nextAttemptAt), asc(webhookDeliveries.id))
        .limit(limit)
        .for("update", { of: webhookDeliveries, skipLocked: true });
      if (due.length === 0) return [];
      // The owner rule, at delivery time: a webhook whose owner may no longer receive the project's events
      // is paused, and its deliveries are left as they are (unattempted) for an admin who resumes it.
      const refused = new Set<string>();
      const decided = new Map<string, WebhookRow>();
      for (const { webhook } of due) decided.set(webhook.id, webhook);
      for (const webhook of decided.values()) {
        const reason = await webhookOwnerRefusal(tx, webhook, { isSubjectRevoked: this.#isSubjectRevoked });
        if (!reason) continue;
        refused.add(webhook.id);
        await pauseWebhook(tx, webhook, reason);
      }
      // Others may be due behind the paused ones' deliveries: look again at once.
      if (refused.size > 0) this.#again = true;
      const ids = due.filter((d) => !refused.has(d.webhook.id)).map((d) => d.id);
      if (ids.length === 0) return [];
      await tx
        .update(webhookDeliveries)
        .set({
          attempts: sql`${webhookDeliveries.attempts} + 1`,
          lockedUntil: sql`now() + ${leaseMs} * interval '1 millisecond'`,
        })
        .where(inArray(webhookDeliveries.id, ids));
      const rows = await tx
        .select({
          id: webhookDeliveries.id,
          attempts: webhookDeliveries.attempts,
          action: webhookDeliveries.action,
          url: webhooks.url,
          secret: webhooks.secret,
          audit: auditLog,
        })
        .from(webhookDeliveries)
        .innerJoin(webhooks, eq(webhooks.id, webhookDeliveries.webhookId))
        .leftJoin(auditLog, eq(auditLog.id, webhookDeliveries.auditId))
        .where(inArray(webhookDeliveries.id, ids))
        .orderBy(asc(webhookDeliveries.id));
      return rows;
    });
  }

  async #deliver(delivery: Claimed, signal: AbortSignal): Promise<void> {
    if (!delivery.audit) {
      await this.#finish(delivery, { kind: "failed", error: "the audit entry is gone", permanent: true }, 0);
      return;
    }
    const body = JSON.stringify({
      id: String(delivery.id),
      event: delivery.action,
      createdAt: delivery.audit.createdAt.toISOString(),
      data: toAuditEntry(delivery.audit),
    });
    const headers = {
      "content-type": "application/json",
      "user-agent": "TaskFlow-Webhooks/1.0",
      "taskflow-event": delivery.action,
      "taskflow-delivery": String(delivery.id),
      "taskflow-signature": signWebhookPayload(delivery.secret, body, Math.floor(Date.now() / 1000)),
    };
    const started = performance.now();
    const outcome = await postWebhook(delivery.url, headers, body, {
      policy: { allowPrivateTargets: this.#settings.allowPrivateTargets },
      timeoutMs: this.#settings.timeoutMs,
      signal,
    });
    if (signal.aborted && !this.#running) {
      // Stopped mid-send: hand the delivery back as it was, for the next dispatcher.
      await this.#db
        .update(webhookDeliveries)
        .set({ attempts: sql`${webhookDeliveries.attempts} - 1`, lockedUntil: null })
        .where(and(eq(webhookDeliveries.id, delivery.id), eq(webhookDeliveries.attempts, delivery.attempts)));
      return;
    }
    await this.#finish(delivery, outcome, Math.round(performance.now() - started));
  }

  /** Records an attempt, fenced by its attempt number so a lapsed lease's late answer changes nothing. */
  async #finish(delivery: Claimed, outcome: PostOutcome, durationMs: number): Promise<void> {
    const ok = outcome.kind === "answered" && outcome.statusCode >= 200 && outcome.statusCode < 300;
    const lastStatusCode = outcome.kind === "answered" ? outcome.statusCode : null;
    const lastError =
      outcome.kind === "failed"
        ? outcome.error
        : ok
          ? null
          : `answered ${outcome.statusCode}${outcome.statusCode >= 300 && outcome.statusCode < 400 ? " (redirects are not followed)" : ""}`;
    const permanent = outcome.kind === "failed" && outcome.permanent;
    const exhausted = delivery.attempts >= this.#settings.maxAttempts;
    const retryInMs = this.#backoff(delivery.attempts);
    const common = { lastStatusCode, lastError, lastDurationMs: durationMs, lockedUntil: null };
    const changes = ok
      ? { ...common, status: "delivered" as const, deliveredAt: sql`now()` }
      : permanent || exhausted
        ? { ...common, status: "failed" as const }
        : {
            ...common,
            status: "retrying" as const,
            nextAttemptAt: sql`now() + ${retryInMs} * interval '1 millisecond'`,
          };
    await this.#db
      .update(webhookDeliveries)
      .set(changes)
      .where(
        and(
          eq(webhookDeliveries.id, delivery.id),
          eq(webhookDeliveries.attempts, delivery.attempts),
          inArray(webhookDeliveries.status, ["pending", "retrying"]),
        ),
      );
    if (changes.status === "retrying" && this.#running) {
      const timer = setTimeout(() => {
        this.#timers.delete(timer);
        this.wake();
      }, retryInMs + 5);
      timer.unref();
      this.#timers.add(timer);
    }
  }

  /** base · 2^(attempt−1), capped, plus up to 10% jitter so retries of many deliveries spread out. */
  #backoff(attempt: number): number {
    const { retryBaseMs, retryCapMs } = this.#settings;
    const delay = Math.min(retryCapMs, retryBaseMs * 2 ** Math.max(0, attempt - 1));
    return Math.round(delay * (1 + Math.random() * 0.1));
  }
}
