import { createRoute } from "@hono/zod-openapi";
import { WebhookWithSecret } from "@taskflow/contracts";
import { rotateWebhookSecret } from "@taskflow/core";
import type { ApiApp } from "../../app-env.ts";
import { authenticated, jsonResponse, problems } from "../../openapi/route-helpers.ts";
import { WebhookParams, webhookNotes } from "./webhook-params.ts";

const route = createRoute({
  method: "post",
  path: "/api/projects/{id}/webhooks/{webhookId}/rotate-secret",
  tags: ["Webhooks"],
  summary: "Replace a webhook's signing secret; the new one is returned this once",
  description: [
    webhookNotes,
    "Takes effect at once: every delivery sent from now on, retries included, is signed with the new secret.",
  ].join("\n\n"),
  security: authenticated,
  request: { params: WebhookParams },
  responses: {
    200: jsonResponse(WebhookWithSecret, "The webhook with its new secret"),
    ...problems(400, 401, 403, 404),
  },
});

export function registerRotateWebhookSecret(app: ApiApp): void {
  app.openapi(route, async (c) => {
    const { id, webhookId } = c.req.valid("param");
    return c.json(await rotateWebhookSecret(c.var.db, c.var.actor, id, webhookId), 200);
  });
}
