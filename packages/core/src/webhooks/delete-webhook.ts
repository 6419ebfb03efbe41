import { eq } from "drizzle-orm";
import type { Actor } from "../actor.ts";
import { recordAudit } from "../audit/record-audit.ts";
import { authorizeProject } from "../authorization/project-access.ts";
import type { TaskflowDb } from "../db/database.ts";
import { webhooks } from "../db/schema/webhooks.ts";
import { loadWebhook } from "./load-webhook.ts";
import { auditedWebhook } from "./to-webhook.ts";

/** Deletes a webhook with its delivery log; deliveries not yet sent are dropped. */
export async function deleteWebhook(
  db: TaskflowDb,
  actor: Actor,
  projectId: string,
  webhookId: string,
): Promise<void> {
  await db.transaction(async (tx) => {
    await authorizeProject(tx, actor, projectId, "project.update");
    const before = await loadWebhook(tx, actor, projectId, webhookId, { forUpdate: true });
    await tx.delete(webhooks).where(eq(webhooks.id, webhookId));
    await recordAudit(tx, actor, {
      entityType: "webhook",
      entityId: webhookId,
      projectId,
      action: "webhook.deleted",
      before: auditedWebhook(before),
    });
  });
}
