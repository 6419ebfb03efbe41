import { and, asc, eq, inArray, isNull, lt, lte, or, sql } from "drizzle-orm";
import type { TaskflowDb } from "../db/database.ts";
import { agentDispatches, agentEndpoints } from "../db/schema/runs.ts";
import {
  type OutboxMessage,
  type OutboxOutcome,
  OutboxSender,
  type OutboxSettings,
} from "../outbox/outbox-sender.ts";
import { signWebhookPayload } from "../webhooks/signature.ts";

interface Claimed {
  id: number;
  attempts: number;
  reason: string;
  payload: unknown;
  createdAt: Date;
  /** The endpoint now (null: the agent removed it since). */
  url: string | null;
  secret: string | null;
}

/**
 * Sends the dispatch outbox (agent_dispatches) to each agent's endpoint, signed with the endpoint's secret as
 * webhooks are (`TaskFlow-Signature: t=<unix seconds>,v1=<HMAC-SHA256 of "<t>.<body>">`), retried with backoff by
 * the same sender (outbox/outbox-sender.ts), woken on the webhooks channel. The body: `{id, event:
 * "run.dispatched", reason, createdAt, ...payload}` (queue-dispatch.ts).
 */
export class AgentDispatcher extends OutboxSender<Claimed> {
  readonly #db: TaskflowDb;

  constructor(
    db: TaskflowDb,
    options: Partial<OutboxSettings> & { onError?: (error: unknown) => void } = {},
  ) {
    super(options);
    this.#db = db;
  }

  async prune(): Promise<number> {
    const dropped = await this.#db
      .delete(agentDispatches)
      .where(
        and(
          inArray(agentDispatches.status, ["delivered", "failed"]),
          lt(agentDispatches.createdAt, sql`now() - ${this.settings.retentionDays} * interval '1 day'`),
        ),
      )
      .returning({ id: agentDispatches.id });
    return dropped.length;
  }

  protected async claim(limit: number, leaseMs: number): Promise<Claimed[]> {
    return this.#db.transaction(async (tx) => {
      const due = await tx
        .select({ id: agentDispatches.id })
        .from(agentDispatches)
        .where(
          and(
            inArray(agentDispatches.status, ["pending", "retrying"]),
            lte(agentDispatches.nextAttemptAt, sql`now()`),
            or(isNull(agentDispatches.lockedUntil), lt(agentDispatches.lockedUntil, sql`now()`)),
          ),
        )
        .orderBy(asc(agentDispatches.nextAttemptAt), asc(agentDispatches.id))
        .limit(limit)
        .for("update", { skipLocked: true });
      if (due.length === 0) return [];
      const ids = due.map((d) => d.id);
      await tx
        .update(agentDispatches)
        .set({
          attempts: sql`${agentDispatches.attempts} + 1`,
          lockedUntil: sql`now() + ${leaseMs} * interval '1 millisecond'`,
        })
        .where(inArray(agentDispatches.id, ids));
      return tx
        .select({
          id: agentDispatches.id,
          attempts: agentDispatches.attempts,
          reason: agentDispatches.reason,
          payload: agentDispatches.payload,
          createdAt: agentDispatches.createdAt,
          url: agentEndpoints.url,
          secret: agentEndpoints.secret,
        })
        .from(agentDispatches)
        .leftJoin(agentEndpoints, eq(agentEndpoints.agentId, agentDispatches.agentId))
        .where(inArray(agentDispatches.id, ids))
        .orderBy(asc(agentDispatches.id));
    });
  }

  protected render(dispatch: Claimed): OutboxMessage {
    if (!dispatch.url || !dispatch.secret) return { unsendable: "the agent has no endpoint any more" };
    const body = JSON.stringify({
      id: String(dispatch.id),
      event: "run.dispatched",
      createdAt: dispatch.createdAt.toISOString(),
      ...(dispatch.payload as Record<string, unknown>),
    });
    return {
      url: dispatch.url,
      body,
      headers: {
        "content-type": "application/json",
        "user-agent": "TaskFlow-Dispatch/1.0",
        "taskflow-event": "run.dispatched",
        "taskflow-delivery": String(dispatch.id),
        "taskflow-signature": signWebhookPayload(dispatch.secret, body, Math.floor(Date.now() / 1000)),
      },
    };
  }

  protected async handBack(dispatch: Claimed): Promise<void> {
    await this.#db
      .update(agentDispatches)
      .set({ attempts: sql`${agentDispatches.attempts} - 1`, lockedUntil: null })
      .where(and(eq(agentDispatches.id, dispatch.id), eq(agentDispatches.attempts, dispatch.attempts)));
  }

  protected async record(dispatch: Claimed, outcome: OutboxOutcome): Promise<void> {
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
      .update(agentDispatches)
      .set(changes)
      .where(
        and(
          eq(agentDispatches.id, dispatch.id),
          eq(agentDispatches.attempts, dispatch.attempts),
          inArray(agentDispatches.status, ["pending", "retrying"]),
        ),
      );
  }
}
