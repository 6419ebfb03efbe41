import { createRoute } from "@hono/zod-openapi";
import { Webhook } from "@taskflow/contracts";
import { getWebhook } from "@taskflow/core";
import type { ApiApp } from "../../app-env.ts";
import { authenticated, jsonResponse, problems } from "../../openapi/route-helpers.ts";
import { WebhookParams, webhookNotes } from "./webhook-params.ts";

const route = createRoute({
  method: "get",
  path: "/api/projects/{id}/webhooks/{webhookId}",
  tags: ["Webhooks"],
  summary: "Get a webhook (never its secret)",
  description: webhookNotes,
  security: authenticated,
  request: { params: WebhookParams },
  responses: {
    200: jsonResponse(Webhook, "The webhook"),
    ...problems(400, 401, 403, 404),
  },
});

export function registerGetWebhook(app: ApiApp): void {
  app.openapi(route, async (c) => {
    const { id, webhookId } = c.req.valid("param");
    return c.json(await getWebhook(c.var.db, c.var.actor, id, webhookId), 200);
  });
}
