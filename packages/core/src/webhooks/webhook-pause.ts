import { and, desc, eq, or, sql } from "drizzle-orm";
import { recordAudit } from "../audit/record-audit.ts";
import type { TaskflowExecutor, TaskflowTx } from "../db/database.ts";
import { auditLog } from "../db/schema/audit.ts";
import { webhooks } from "../db/schema/webhooks.ts";
import type { SubjectRevokedCheck } from "../personal-tokens/voided-token-sweeper.ts";
import { auditedWebhook, type WebhookRow } from "./to-webhook.ts";
import { webhookOwnerRefusal } from "./webhook-owner.ts";

/**
 * Pauses a webhook whose owner may no longer receive the project's events (webhookOwnerRefusal says why):
 * it turns inactive, so nothing more is queued and what is queued waits, and the system audits
 * `webhook.paused` with the reason, which the project's readers see in its audit and events and its admins
 * in the webhook (`pausedReason`). Returns the paused row, or null when it was no longer active (another
 * replica paused it, or an admin turned it off). Call it in a transaction that holds the webhook's row or
 * may take it.
 */
export async function pauseWebhook(
  tx: TaskflowTx,
  webhook: WebhookRow,
  reason: string,
): Promise<WebhookRow | null> {
  const [paused] = await tx
    .update(webhooks)
    .set({ active: false, updatedAt: new Date() })
    .where(and(eq(webhooks.id, webhook.id), eq(webhooks.active, true)))
    .returning();
  if (!paused) return null;
  await recordAudit(
    tx,
    { tenantId: webhook.tenantId, type: "system" },
    {
      entityType: "webhook",
      entityId: webhook.id,
      projectId: webhook.projectId,
      action: "webhook.paused",
      before: auditedWebhook(webhook),
      after: auditedWebhook(paused, reason),
    },
  );
  return paused;
}

/**
 * Applies the owner rule (webhookOwnerRefusal) to webhooks as they are read: each active one whose owner may
 * no longer send it is paused now (pauseWebhook), so what the dispatcher, a listing or an update sees is the
 * same decision. Returns the rows as they now are, in the same order. A ban is seen only with the SSO's
 * revocation feed (`isSubjectRevoked`): the dispatcher has it; the API's reads decide without it, and the
 * dispatcher's owner sweep (each minute) or next delivery pauses a banned person's webhook.
 */
export async function settleWebhookOwners(
  db: TaskflowExecutor,
  rows: readonly WebhookRow[],
  options: { isSubjectRevoked?: SubjectRevokedCheck | undefined } = {},
): Promise<WebhookRow[]> {
  const settled: WebhookRow[] = [];
  for (const row of rows) {
    const refusal = row.active ? await webhookOwnerRefusal(db, row, options) : null;
    if (!refusal) {
      settled.push(row);
      continue;
    }
    const now = await db.transaction(async (tx) => {
      const paused = await pauseWebhook(tx, row, refusal);
      if (paused) return paused;
      // Changed meanwhile (paused by another replica, or turned off): as it is now.
      const [current] = await tx.select().from(webhooks).where(eq(webhooks.id, row.id));
      return current;
    });
    if (now) settled.push(now);
  }
  return settled;
}

/**
 * Why each inactive webhook was paused by TaskFlow, if it was: the reason of its `webhook.paused` row when
 * that is the last change of its `active` flag (an admin who turned it off or on since decided instead).
 * Read from the audit trail, which already says it, rather than from a column of its own.
 */
export async function pausedReasons(db: TaskflowExecutor, rows: WebhookRow[]): Promise<Map<string, string>> {
  const reasons = new Map<string, string>();
  for (const row of rows) {
    if (row.active) continue;
    const [last] = await db
      .select({ action: auditLog.action, after: auditLog.after })
      .from(auditLog)
      .where(
        and(
          eq(auditLog.projectId, row.projectId),
          eq(auditLog.entityType, "webhook"),
          eq(auditLog.entityId, row.id),
          or(
            eq(auditLog.action, "webhook.paused"),
            sql`(${auditLog.before} ->> 'active') is distinct from (${auditLog.after} ->> 'active')`,
          ),
        ),
      )
      .orderBy(desc(auditLog.id))
      .limit(1);
    const reason = (last?.after as { pausedReason?: unknown } | null)?.pausedReason;
    if (last?.action === "webhook.paused" && typeof reason === "string") reasons.set(row.id, reason);
  }
  return reasons;
}
