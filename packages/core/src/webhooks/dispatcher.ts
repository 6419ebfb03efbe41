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
import { signWebhookPayload } from "./signature.ts";

/** The PostgreSQL channel the outbox trigger wakes dispatchers on (empty payload); agent dispatches use it too. */
export const webhooksChannel = "taskflow_webhooks";

export type WebhookDispatcherOptions = Partial<OutboxSettings> & { onError?: (error: unknown) => void };

export const webhookDispatcherDefaults: OutboxSettings = outboxDefaults;

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
 * its audit entry, signed with its webhook's secret.
 */
export class WebhookDispatcher extends OutboxSender<Claimed> {
  readonly #db: TaskflowDb;

  constructor(db: TaskflowDb, options: WebhookDispatcherOptions = {}) {
    super(options);
    this.#db = db;
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
        .select({ id: webhookDeliveries.id })
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
      const ids = due.map((d) => d.id);
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
