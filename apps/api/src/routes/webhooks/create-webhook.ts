import { createRoute } from "@hono/zod-openapi";
import { WebhookCreate, WebhookWithSecret } from "@taskflow/contracts";
import { createWebhook } from "@taskflow/core";
import type { ApiApp } from "../../app-env.ts";
import { authenticated, IdParam, jsonBody, jsonResponse, problems } from "../../openapi/route-helpers.ts";
import { webhookNotes } from "./webhook-params.ts";

const route = createRoute({
  method: "post",
  path: "/api/projects/{id}/webhooks",
  tags: ["Webhooks"],
  summary: "Add a webhook: the project's chosen changes are POSTed, signed, to a URL",
  description: [
    webhookNotes,
    "Every audit entry of the project whose action matches `events` (`task.created`, `task.*`, `*`) is " +
      "queued in the change's own transaction and POSTed as JSON `{id, event, createdAt, data}` (`data` " +
      "is the audit entry) with the headers `TaskFlow-Event`, `TaskFlow-Delivery` and " +
      '`TaskFlow-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`. ' +
      "A 2xx answer delivers it; anything else, a timeout or a network error is retried with " +
      "exponential backoff until the last attempt fails it. Redirects are not followed.",
    "The URL is refused (422 naming `body.url`) when its host is or resolves to a loopback, private, " +
      "link-local (cloud metadata), CGNAT, unique-local, site-local or documentation address (IPv6 forms " +
      "carrying an IPv4 address judged by that address; Teredo always refused), unless the server allows private " +
      "targets; it is checked again on every delivery.",
    "A project has at most 20 webhooks (409 beyond).",
    "The `secret` is returned this once (and on rotation); keep it to verify signatures.",
  ].join("\n\n"),
  security: authenticated,
  request: { params: IdParam, body: jsonBody(WebhookCreate) },
  responses: {
    201: jsonResponse(WebhookWithSecret, "The new webhook with its signing secret"),
    ...problems(400, 401, 403, 404, 409, 422),
  },
});

export function registerCreateWebhook(app: ApiApp): void {
  app.openapi(route, async (c) =>
    c.json(
      await createWebhook(
        c.var.db,
        c.var.actor,
        c.req.valid("param").id,
        c.req.valid("json"),
        c.var.webhookTargets,
      ),
      201,
    ),
  );
}
