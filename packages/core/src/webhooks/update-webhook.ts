import type { Webhook, WebhookUpdate } from "@taskflow/contracts";
import { eq } from "drizzle-orm";
import type { Actor } from "../actor.ts";
import { recordAudit } from "../audit/record-audit.ts";
import { authorizeProject } from "../authorization/project-access.ts";
import type { TaskflowDb } from "../db/database.ts";
import { webhooks } from "../db/schema/webhooks.ts";
import { loadWebhook } from "./load-webhook.ts";
import { assertWebhookTarget, type TargetPolicy } from "./target-guard.ts";
import { auditedWebhook, toWebhook } from "./to-webhook.ts";

/**
 * Changes a webhook's URL (checked like a new one), events or active flag. Deliveries still
 * pending go to the new URL; while inactive, nothing new is queued and pending deliveries wait.
 */
export async function updateWebhook(
  db: TaskflowDb,
  actor: Actor,
  projectId: string,
  webhookId: string,
  changes: WebhookUpdate,
  policy: TargetPolicy,
): Promise<Webhook> {
  await authorizeProject(db, actor, projectId, "project.update");
  if (changes.url !== undefined) await assertWebhookTarget(changes.url, policy);
  return db.transaction(async (tx) => {
    await authorizeProject(tx, actor, projectId, "project.update");
    const before = await loadWebhook(tx, actor, projectId, webhookId, { forUpdate: true });
    const [updated] = await tx
      .update(webhooks)
      .set({
        ...(changes.url !== undefined ? { url: changes.url } : {}),
        ...(changes.events !== undefined ? { events: [...new Set(changes.events)] } : {}),
        ...(changes.active !== undefined ? { active: changes.active } : {}),
        updatedAt: new Date(),
      })
      .where(eq(webhooks.id, webhookId))
      .returning();
    if (!updated) throw new Error("update returned no webhook");
    const webhook = toWebhook(updated);
    await recordAudit(tx, actor, {
      entityType: "webhook",
      entityId: webhookId,
      projectId,
      action: "webhook.updated",
      before: auditedWebhook(before),
      after: auditedWebhook(updated),
    });
    return webhook;
  });
}
