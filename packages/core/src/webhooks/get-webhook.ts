import type { Webhook } from "@taskflow/contracts";
import type { Actor } from "../actor.ts";
import { authorizeProject } from "../authorization/project-access.ts";
import type { TaskflowDb } from "../db/database.ts";
import { loadWebhook } from "./load-webhook.ts";
import { toWebhook } from "./to-webhook.ts";

export async function getWebhook(
  db: TaskflowDb,
  actor: Actor,
  projectId: string,
  webhookId: string,
): Promise<Webhook> {
  await authorizeProject(db, actor, projectId, "project.update");
  return toWebhook(await loadWebhook(db, actor, projectId, webhookId));
}
