import type { WebhookWithSecret } from "@taskflow/contracts";
import { eq } from "drizzle-orm";
import type { Actor } from "../actor.ts";
import { recordAudit } from "../audit/record-audit.ts";
import { authorizeProject } from "../authorization/project-access.ts";
import type { TaskflowDb } from "../db/database.ts";
import { webhooks } from "../db/schema/webhooks.ts";
import { loadWebhook } from "./load-webhook.ts";
import { generateWebhookSecret } from "./signature.ts";
import { auditedWebhook, toWebhook } from "./to-webhook.ts";
import { pausedReasons } from "./webhook-pause.ts";

/**
 * Replaces a webhook's signing secret, returned this once. Every delivery sent from now on,
 * retries included, is signed with the new one. The audit row records the rotation, not the secret.
 */
export async function rotateWebhookSecret(
  db: TaskflowDb,
  actor: Actor,
  projectId: string,
  webhookId: string,
): Promise<WebhookWithSecret> {
  return db.transaction(async (tx) => {
    await authorizeProject(tx, actor, projectId, "project.update");
    await loadWebhook(tx, actor, projectId, webhookId, { forUpdate: true });
    const [updated] = await tx
      .update(webhooks)
      .set({ secret: generateWebhookSecret(), updatedAt: new Date() })
      .where(eq(webhooks.id, webhookId))
      .returning();
    if (!updated) throw new Error("update returned no webhook");
    const webhook = toWebhook(updated, (await pausedReasons(tx, [updated])).get(updated.id) ?? null);
    await recordAudit(tx, actor, {
      entityType: "webhook",
      entityId: webhookId,
      projectId,
      action: "webhook.secret_rotated",
      after: auditedWebhook(updated),
    });
    return { ...webhook, secret: updated.secret };
  });
}
