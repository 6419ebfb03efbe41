import type { WebhookCreate, WebhookWithSecret } from "@taskflow/contracts";
import { count, eq } from "drizzle-orm";
import type { Actor } from "../actor.ts";
import { recordAudit } from "../audit/record-audit.ts";
import { authorizeProject } from "../authorization/project-access.ts";
import type { TaskflowDb } from "../db/database.ts";
import { projects } from "../db/schema/projects.ts";
import { webhooks } from "../db/schema/webhooks.ts";
import { DomainError } from "../errors.ts";
import { generateWebhookSecret } from "./signature.ts";
import { assertWebhookTarget, type TargetPolicy } from "./target-guard.ts";
import { auditedWebhook, toWebhook } from "./to-webhook.ts";
import { assertCanOwnWebhook } from "./webhook-owner.ts";

/** Every change of a project queues one delivery per matching webhook: the fan-out is bounded. */
export const maxWebhooksPerProject = 20;

/**
 * Adds a webhook to a project (admins). The URL must not resolve to an internal address; the
 * signing secret is generated here and returned this once. The caller becomes its owner, with whose access
 * it sends (webhook-owner.ts), so they must be one who could own it.
 */
export async function createWebhook(
  db: TaskflowDb,
  actor: Actor,
  projectId: string,
  input: WebhookCreate,
  policy: TargetPolicy,
): Promise<WebhookWithSecret> {
  // Authorized before resolving the host (no DNS on behalf of outsiders), and again in the transaction.
  await authorizeProject(db, actor, projectId, "project.update");
  await assertCanOwnWebhook(db, actor, projectId);
  await assertWebhookTarget(input.url, policy);
  return db.transaction(async (tx) => {
    await authorizeProject(tx, actor, projectId, "project.update");
    await assertCanOwnWebhook(tx, actor, projectId);
    // Concurrent creations queue on the project row (without blocking its tasks' foreign keys).
    await tx
      .select({ id: projects.id })
      .from(projects)
      .where(eq(projects.id, projectId))
      .for("no key update");
    const [existing] = await tx
      .select({ n: count() })
      .from(webhooks)
      .where(eq(webhooks.projectId, projectId));
    if ((existing?.n ?? 0) >= maxWebhooksPerProject) {
      throw new DomainError(
        "conflict",
        `a project has at most ${maxWebhooksPerProject} webhooks; delete one first`,
        {
          details: { limit: maxWebhooksPerProject },
        },
      );
    }
    const [row] = await tx
      .insert(webhooks)
      .values({
        tenantId: actor.tenantId,
        projectId,
        url: input.url,
        events: [...new Set(input.events)],
        secret: generateWebhookSecret(),
        active: input.active,
        createdBy: actor.workerId,
      })
      .returning();
    if (!row) throw new Error("insert returned no webhook");
    const webhook = toWebhook(row);
    await recordAudit(tx, actor, {
      entityType: "webhook",
      entityId: row.id,
      projectId,
      action: "webhook.created",
      after: auditedWebhook(row),
    });
    return { ...webhook, secret: row.secret };
  });
}
