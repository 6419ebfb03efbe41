import type { Webhook } from "@taskflow/contracts";
import type { Actor } from "../actor.ts";
import { authorizeProject } from "../authorization/project-access.ts";
import type { TaskflowDb } from "../db/database.ts";
import { loadWebhook } from "./load-webhook.ts";
import { toWebhook } from "./to-webhook.ts";
import { pausedReasons, settleWebhookOwners } from "./webhook-pause.ts";

export async function getWebhook(
  db: TaskflowDb,
  actor: Actor,
  projectId: string,
  webhookId: string,
): Promise<Webhook> {
  await authorizeProject(db, actor, projectId, "project.update");
  // As the owner rule now decides it (settleWebhookOwners pauses it if its owner may no longer send it).
  const loaded = await loadWebhook(db, actor, projectId, webhookId);
  const [row = loaded] = await settleWebhookOwners(db, [loaded]);
  return toWebhook(row, (await pausedReasons(db, [row])).get(row.id) ?? null);
}
