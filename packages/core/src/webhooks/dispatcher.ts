import { and, asc, eq, inArray, isNull, lt, lte, or, sql } from "drizzle-orm";
import { toAuditEntry } from "../audit/audit-page.ts";
import type { TaskflowDb } from "../db/database.ts";
import { auditLog } from "../db/schema/audit.ts";
import { webhookDeliveries, webhooks } from "../db/schema/webhooks.ts";
import {
  type OutboxMessage,
  type OutboxOutcome,
  OutboxSender,
  type OutboxSettings,
  outboxDefaults,
} from "../outbox/outbox-sender.ts";
import type { SubjectRevokedCheck } from "../personal-tokens/voided-token-sweeper.ts";
import { signWebhookPayload } from "./signature.ts";
import type { WebhookRow } from "./to-webhook.ts";
import { webhookOwnerRefusal } from "./webhook-owner.ts";
import { pauseWebhook, settleWebhookOwners } from "./webhook-pause.ts";

/** The PostgreSQL channel the outbox trigger wakes dispatchers on (empty payload); agent dispatches use it too. */
export const webhooksChannel = "taskflow_webhooks";

/** The outbox's settings (outbox/outbox-sender.ts), and the owner rule's. */
export interface WebhookDispatcherSettings extends OutboxSettings {
  /**
   * How often every active webhook's owner is checked with no delivery due (sweepOwners); default 60 s,
   * inside the window in which the SSO's revocation feed names a banned person.
   */
  ownerSweepIntervalMs: number;
}

export type WebhookDispatcherOptions = Partial<WebhookDispatcherSettings> & {
  /** The SSO's revocation feed: a webhook whose owner was banned or deleted since it was made stops. */
  isSubjectRevoked?: SubjectRevokedCheck;
  onError?: (error: unknown) => void;
};

export const webhookDispatcherDefaults: WebhookDispatcherSettings = {
  ...outboxDefaults,
  ownerSweepIntervalMs: 60_000,
};

interface Claimed {
  id: number;
  attempts: number;
  action: string;
  url: string;
  secret: string;
  audit: typeof auditLog.$inferSelect | null;
}

/**
 * Sends the webhook outbox (outbox/outbox-sender.ts does the sending, retrying and leasing): each delivery is
 * its audit entry, signed with its webhook's secret. A webhook sends with its owner's access: each claim asks
 * the owner rule (webhookOwnerRefusal) of every webhook it would send for, and pauses instead those whose owner
 * may no longer receive the project's events (their deliveries wait, unattempted); a sweep asks it of every
 * active webhook each minute.
 */
export class WebhookDispatcher extends OutboxSender<Claimed> {
  readonly #db: TaskflowDb;
  readonly #ownerSweepIntervalMs: number;
  readonly #isSubjectRevoked: SubjectRevokedCheck | undefined;
  readonly #onError: (error: unknown) => void;
  #ownerSweep: NodeJS.Timeout | undefined;
  #sweeping: Promise<unknown> = Promise.resolve();

  constructor(db: TaskflowDb, options: WebhookDispatcherOptions = {}) {
    const { ownerSweepIntervalMs, isSubjectRevoked, ...outbox } = options;
    super(outbox);
    this.#db = db;
    this.#ownerSweepIntervalMs = ownerSweepIntervalMs ?? webhookDispatcherDefaults.ownerSweepIntervalMs;
    this.#isSubjectRevoked = isSubjectRevoked;
    this.#onError = options.onError ?? (() => {});
  }

  override start(): void {
    if (!this.#ownerSweep) {
      this.#ownerSweep = setInterval(() => {
        this.#sweeping = this.sweepOwners().catch(this.#onError);
      }, this.#ownerSweepIntervalMs);
      this.#ownerSweep.unref();
    }
    super.start();
  }

  override async stop(): Promise<void> {
    if (this.#ownerSweep) clearInterval(this.#ownerSweep);
    this.#ownerSweep = undefined;
    await this.#sweeping;
    await super.stop();
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

  /** Drops finished deliveries older than the retention from the log (hourly, on every replica). */
  async prune(): Promise<number> {
    const dropped = await this.#db
      .delete(webhookDeliveries)
      .where(
        and(
          inArray(webhookDeliveries.status, ["delivered", "failed"]),
          lt(webhookDeliveries.createdAt, sql`now() - ${this.settings.retentionDays} * interval '1 day'`),
        ),
      )
      .returning({ id: webhookDeliveries.id });
    return dropped.length;
  }

  /** Takes up to `limit` due deliveries of active webhooks, counting the attempt and leasing them. */
  protected async claim(limit: number, leaseMs: number): Promise<Claimed[]> {
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
      if (refused.size > 0) this.claimAgain();
      const ids = due.filter((d) => !refused.has(d.webhook.id)).map((d) => d.id);
      if (ids.length === 0) return [];
      await tx
        .update(webhookDeliveries)
        .set({
          attempts: sql`${webhookDeliveries.attempts} + 1`,
          lockedUntil: sql`now() + ${leaseMs} * interval '1 millisecond'`,
        })
        .where(inArray(webhookDeliveries.id, ids));
      return tx
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
    });
  }

  protected render(delivery: Claimed): OutboxMessage {
    if (!delivery.audit) return { unsendable: "the audit entry is gone" };
    const body = JSON.stringify({
      id: String(delivery.id),
      event: delivery.action,
      createdAt: delivery.audit.createdAt.toISOString(),
      data: toAuditEntry(delivery.audit),
    });
    return {
      url: delivery.url,
      body,
      headers: {
        "content-type": "application/json",
        "user-agent": "TaskFlow-Webhooks/1.0",
        "taskflow-event": delivery.action,
        "taskflow-delivery": String(delivery.id),
        "taskflow-signature": signWebhookPayload(delivery.secret, body, Math.floor(Date.now() / 1000)),
      },
    };
  }

  protected async handBack(delivery: Claimed): Promise<void> {
    await this.#db
      .update(webhookDeliveries)
      .set({ attempts: sql`${webhookDeliveries.attempts} - 1`, lockedUntil: null })
      .where(and(eq(webhookDeliveries.id, delivery.id), eq(webhookDeliveries.attempts, delivery.attempts)));
  }

  /** Fenced by its attempt number, so a lapsed lease's late answer changes nothing. */
  protected async record(delivery: Claimed, outcome: OutboxOutcome): Promise<void> {
    const common = {
      lastStatusCode: outcome.lastStatusCode,
      lastError: outcome.lastError,
      lastDurationMs: outcome.lastDurationMs,
      lockedUntil: null,
    };
    const changes =
      outcome.status === "delivered"
        ? { ...common, status: "delivered" as const, deliveredAt: sql`now()` }
        : outcome.status === "failed"
          ? { ...common, status: "failed" as const }
          : {
              ...common,
              status: "retrying" as const,
              nextAttemptAt: sql`now() + ${outcome.retryInMs} * interval '1 millisecond'`,
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
  }
}
