import { and, eq } from "drizzle-orm";
import type { Actor } from "../actor.ts";
import type { TaskflowExecutor } from "../db/database.ts";
import { webhooks } from "../db/schema/webhooks.ts";
import { notFound } from "../errors.ts";
import type { WebhookRow } from "./to-webhook.ts";

/** A webhook of this project and the caller's tenant (locked for update when asked), or 404. */
export async function loadWebhook(
  tx: TaskflowExecutor,
  actor: Actor,
  projectId: string,
  webhookId: string,
  options: { forUpdate?: boolean } = {},
): Promise<WebhookRow> {
  const query = tx
    .select()
    .from(webhooks)
    .where(
      and(
        eq(webhooks.id, webhookId),
        eq(webhooks.projectId, projectId),
        eq(webhooks.tenantId, actor.tenantId),
      ),
    );
  const [row] = options.forUpdate ? await query.for("update") : await query;
  if (!row) throw notFound("webhook");
  return row;
}
