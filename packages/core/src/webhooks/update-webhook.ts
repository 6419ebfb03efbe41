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
import { assertCanOwnWebhook, webhookOwnerRefusal } from "./webhook-owner.ts";
import { pausedReasons, settleWebhookOwners } from "./webhook-pause.ts";

/**
 * Changes a webhook's URL (checked like a new one), events or active flag. Deliveries still
 * pending go to the new URL; while inactive, nothing new is queued and pending deliveries wait.
 * Turning on a webhook that was paused, or whose owner may no longer send it (webhookOwnerRefusal),
 * takes it over: the caller becomes its owner, if they may own it (assertCanOwnWebhook), and what waited
 * is sent with their access.
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
    // Turning on a paused webhook, or one whose owner may not send it, makes the caller its owner. A pause
    // is TaskFlow's record that the owner lost access (a ban too, which the database alone does not show).
    const takeOver =
      changes.active === true &&
      ((!before.active && (await pausedReasons(tx, [before])).has(before.id)) ||
        (await webhookOwnerRefusal(tx, before)) !== null);
    if (takeOver) await assertCanOwnWebhook(tx, actor, projectId);
    const [updated] = await tx
      .update(webhooks)
      .set({
        ...(takeOver ? { createdBy: actor.workerId } : {}),
        ...(changes.url !== undefined ? { url: changes.url } : {}),
        ...(changes.events !== undefined ? { events: [...new Set(changes.events)] } : {}),
        ...(changes.active !== undefined ? { active: changes.active } : {}),
        updatedAt: new Date(),
      })
      .where(eq(webhooks.id, webhookId))
      .returning();
    if (!updated) throw new Error("update returned no webhook");
    await recordAudit(tx, actor, {
      entityType: "webhook",
      entityId: webhookId,
      projectId,
      action: "webhook.updated",
      before: auditedWebhook(before),
      after: auditedWebhook(updated),
    });
    // Any other change leaves the owner as it was: one who may no longer send it pauses it now.
    const [settled = updated] = await settleWebhookOwners(tx, [updated]);
    return toWebhook(settled, (await pausedReasons(tx, [settled])).get(settled.id) ?? null);
  });
}
