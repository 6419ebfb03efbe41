import type { Webhook } from "@taskflow/contracts";
import { and, asc, eq } from "drizzle-orm";
import type { Actor } from "../actor.ts";
import { authorizeProject } from "../authorization/project-access.ts";
import type { TaskflowDb } from "../db/database.ts";
import { webhooks } from "../db/schema/webhooks.ts";
import { toWebhook } from "./to-webhook.ts";
import { pausedReasons, settleWebhookOwners } from "./webhook-pause.ts";

/** A project's webhooks, oldest first (admins: they reveal where the project's changes go). */
export async function listWebhooks(db: TaskflowDb, actor: Actor, projectId: string): Promise<Webhook[]> {
  await authorizeProject(db, actor, projectId, "project.update");
  const found = await db
    .select()
    .from(webhooks)
    .where(and(eq(webhooks.projectId, projectId), eq(webhooks.tenantId, actor.tenantId)))
    .orderBy(asc(webhooks.createdAt), asc(webhooks.id));
  // As the owner rule now decides them (settleWebhookOwners pauses those whose owner may no longer send them).
  const rows = await settleWebhookOwners(db, found);
  const paused = await pausedReasons(db, rows);
  return rows.map((row) => toWebhook(row, paused.get(row.id) ?? null));
}
