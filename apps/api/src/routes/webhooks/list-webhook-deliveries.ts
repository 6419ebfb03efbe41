import { createRoute } from "@hono/zod-openapi";
import { WebhookDeliveryPage, WebhookDeliveryQuery } from "@taskflow/contracts";
import { listWebhookDeliveries } from "@taskflow/core";
import type { ApiApp } from "../../app-env.ts";
import { authenticated, jsonResponse, problems } from "../../openapi/route-helpers.ts";
import { WebhookParams, webhookNotes } from "./webhook-params.ts";

const route = createRoute({
  method: "get",
  path: "/api/projects/{id}/webhooks/{webhookId}/deliveries",
  tags: ["Webhooks"],
  summary: "A webhook's delivery log, newest first",
  description: [
    webhookNotes,
    "Each delivery shows its status (`pending`, `retrying`, `delivered`, `failed`), attempts, the next " +
      "attempt's time, and the last attempt's status code, error and duration. Page with `cursor` from " +
      "`nextCursor`.",
  ].join("\n\n"),
  security: authenticated,
  request: { params: WebhookParams, query: WebhookDeliveryQuery },
  responses: {
    200: jsonResponse(WebhookDeliveryPage, "One page of deliveries"),
    ...problems(400, 401, 403, 404, 422),
  },
});

export function registerListWebhookDeliveries(app: ApiApp): void {
  app.openapi(route, async (c) => {
    const { id, webhookId } = c.req.valid("param");
    return c.json(
      await listWebhookDeliveries(c.var.db, c.var.actor, id, webhookId, c.req.valid("query")),
      200,
    );
  });
}
