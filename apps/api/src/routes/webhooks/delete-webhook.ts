import { createRoute } from "@hono/zod-openapi";
import { deleteWebhook } from "@taskflow/core";
import type { ApiApp } from "../../app-env.ts";
import { authenticated, noContent, problems } from "../../openapi/route-helpers.ts";
import { WebhookParams, webhookNotes } from "./webhook-params.ts";

const route = createRoute({
  method: "delete",
  path: "/api/projects/{id}/webhooks/{webhookId}",
  tags: ["Webhooks"],
  summary: "Delete a webhook with its delivery log; deliveries not yet sent are dropped",
  description: webhookNotes,
  security: authenticated,
  request: { params: WebhookParams },
  responses: { 204: noContent, ...problems(400, 401, 403, 404) },
});

export function registerDeleteWebhook(app: ApiApp): void {
  app.openapi(route, async (c) => {
    const { id, webhookId } = c.req.valid("param");
    await deleteWebhook(c.var.db, c.var.actor, id, webhookId);
    return c.body(null, 204);
  });
}
