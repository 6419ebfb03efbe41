import { createRoute } from "@hono/zod-openapi";
import { Webhook, WebhookUpdate } from "@taskflow/contracts";
import { updateWebhook } from "@taskflow/core";
import type { ApiApp } from "../../app-env.ts";
import { authenticated, jsonBody, jsonResponse, problems } from "../../openapi/route-helpers.ts";
import { WebhookParams, webhookNotes } from "./webhook-params.ts";

const route = createRoute({
  method: "patch",
  path: "/api/projects/{id}/webhooks/{webhookId}",
  tags: ["Webhooks"],
  summary: "Change a webhook's URL, events or active flag",
  description: [
    webhookNotes,
    "A new URL is checked like a new webhook's (422 naming `body.url`). Deliveries not yet sent go to " +
      "the new URL. While a webhook is inactive nothing new is queued for it and its pending deliveries wait.",
  ].join("\n\n"),
  security: authenticated,
  request: { params: WebhookParams, body: jsonBody(WebhookUpdate) },
  responses: {
    200: jsonResponse(Webhook, "The updated webhook"),
    ...problems(400, 401, 403, 404, 422),
  },
});

export function registerUpdateWebhook(app: ApiApp): void {
  app.openapi(route, async (c) => {
    const { id, webhookId } = c.req.valid("param");
    return c.json(
      await updateWebhook(c.var.db, c.var.actor, id, webhookId, c.req.valid("json"), c.var.webhookTargets),
      200,
    );
  });
}
