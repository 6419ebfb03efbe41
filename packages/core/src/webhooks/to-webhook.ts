import type { Webhook, WebhookDelivery } from "@taskflow/contracts";
import type { webhookDeliveries, webhooks } from "../db/schema/webhooks.ts";

export type WebhookRow = typeof webhooks.$inferSelect;
export type WebhookDeliveryRow = typeof webhookDeliveries.$inferSelect;

/** A webhook as shown (and audited): never its secret. */
export function toWebhook(row: WebhookRow): Webhook {
  return {
    id: row.id,
    projectId: row.projectId,
    url: row.url,
    events: row.events,
    active: row.active,
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
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
