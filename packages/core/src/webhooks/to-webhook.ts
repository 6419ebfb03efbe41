import type { Webhook, WebhookDelivery } from "@taskflow/contracts";
import type { webhookDeliveries, webhooks } from "../db/schema/webhooks.ts";

export type WebhookRow = typeof webhooks.$inferSelect;
export type WebhookDeliveryRow = typeof webhookDeliveries.$inferSelect;

/**
 * A webhook as shown to those who may read webhooks: never its secret. `pausedReason` is why TaskFlow paused
 * it, when it did (webhook-pause.ts reads it from the audit trail).
 */
export function toWebhook(row: WebhookRow, pausedReason: string | null = null): Webhook {
  return {
    id: row.id,
    projectId: row.projectId,
    url: row.url,
    events: row.events,
    active: row.active,
    pausedReason: row.active ? null : pausedReason,
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/**
 * Where a webhook sends, as far as the audit trail may say: the URL's origin (scheme, host, port), never
 * its path or query. Chat services' incoming-webhook URLs (Slack, Teams, Discord) are bearer secrets, and
 * the trail reaches every reader of the project's audit and events, viewers and read-only agents included,
 * who may not read the webhooks themselves.
 */
export function webhookTarget(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return "(not a URL)";
  }
}

/**
 * A webhook snapshot without its URL (its target instead). Applied when an audit row is written
 * (auditedWebhook) and again when any audit row of a webhook is read (toAuditEntry), for rows written
 * before the rule.
 */
export function withoutWebhookUrl(snapshot: unknown): unknown {
  if (!snapshot || typeof snapshot !== "object" || !("url" in snapshot)) return snapshot;
  const { url, ...rest } = snapshot as { url: unknown };
  return { ...rest, target: typeof url === "string" ? webhookTarget(url) : null };
}

/** A webhook as its audit rows (and so the project's events and other webhooks' deliveries) show it. */
export function auditedWebhook(row: WebhookRow, pausedReason: string | null = null) {
  return withoutWebhookUrl(toWebhook(row, pausedReason));
}

export function toWebhookDelivery(row: WebhookDeliveryRow): WebhookDelivery {
  const open = row.status === "pending" || row.status === "retrying";
  return {
    id: String(row.id),
    webhookId: row.webhookId,
    auditId: String(row.auditId),
    event: row.action,
    status: row.status,
    attempts: row.attempts,
    nextAttemptAt: open ? row.nextAttemptAt.toISOString() : null,
    lastStatusCode: row.lastStatusCode,
    lastError: row.lastError,
    lastDurationMs: row.lastDurationMs,
    createdAt: row.createdAt.toISOString(),
    deliveredAt: row.deliveredAt?.toISOString() ?? null,
  };
}
