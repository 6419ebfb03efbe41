import type { WebhookDeliveryPage } from "@taskflow/contracts";
import { and, desc, eq, lt } from "drizzle-orm";
import type { Actor } from "../actor.ts";
import { authorizeProject } from "../authorization/project-access.ts";
import type { TaskflowDb } from "../db/database.ts";
import { webhookDeliveries } from "../db/schema/webhooks.ts";
import { invalidInput } from "../errors.ts";
import { decodeCursor, encodeCursor } from "../pagination/keyset-cursor.ts";
import { loadWebhook } from "./load-webhook.ts";
import { toWebhookDelivery } from "./to-webhook.ts";

const ordering = "deliveries:id-desc";

/** A webhook's delivery log, newest first, one keyset page at a time. */
export async function listWebhookDeliveries(
  db: TaskflowDb,
  actor: Actor,
  projectId: string,
  webhookId: string,
  request: { limit: number; cursor?: string | undefined },
): Promise<WebhookDeliveryPage> {
  await authorizeProject(db, actor, projectId, "project.update");
  await loadWebhook(db, actor, projectId, webhookId);
  const before = request.cursor ? decodeCursor(request.cursor, ordering, 1)[0] : undefined;
  if (before !== undefined && (typeof before !== "number" || !Number.isSafeInteger(before))) {
    throw invalidInput("query.cursor", "not a cursor this API handed out");
  }
  const rows = await db
    .select()
    .from(webhookDeliveries)
    .where(
      and(
        eq(webhookDeliveries.webhookId, webhookId),
        typeof before === "number" ? lt(webhookDeliveries.id, before) : undefined,
      ),
    )
    .orderBy(desc(webhookDeliveries.id))
    .limit(request.limit + 1);
  const items = rows.slice(0, request.limit);
  const last = items[items.length - 1];
  return {
    items: items.map(toWebhookDelivery),
    nextCursor: rows.length > request.limit && last ? encodeCursor(ordering, [last.id]) : null,
  };
}
