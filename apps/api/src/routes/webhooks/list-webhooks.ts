import { createRoute, z } from "@hono/zod-openapi";
import { Webhook } from "@taskflow/contracts";
import { listWebhooks } from "@taskflow/core";
import type { ApiApp } from "../../app-env.ts";
import { authenticated, IdParam, jsonResponse, problems } from "../../openapi/route-helpers.ts";
import { webhookNotes } from "./webhook-params.ts";

const route = createRoute({
  method: "get",
  path: "/api/projects/{id}/webhooks",
  tags: ["Webhooks"],
  summary: "List a project's webhooks, oldest first (never their secrets)",
  description: webhookNotes,
  security: authenticated,
  request: { params: IdParam },
  responses: {
    200: jsonResponse(z.array(Webhook), "The project's webhooks"),
    ...problems(400, 401, 403, 404),
  },
});

export function registerListWebhooks(app: ApiApp): void {
  app.openapi(route, async (c) =>
    c.json(await listWebhooks(c.var.db, c.var.actor, c.req.valid("param").id), 200),
  );
}
