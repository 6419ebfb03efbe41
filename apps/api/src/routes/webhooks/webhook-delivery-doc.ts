import { z } from "@hono/zod-openapi";
import { WebhookPayload } from "@taskflow/contracts";
import type { ApiApp } from "../../app-env.ts";

/**
 * Documents what TaskFlow sends to a webhook's URL, in the OpenAPI document's `webhooks` section
 * (OpenAPI 3.1): receivers can generate their handler from it.
 */
export function registerWebhookDeliveryDoc(app: ApiApp): void {
  app.openAPIRegistry.registerWebhook({
    method: "post",
    path: "projectChange",
    tags: ["Webhooks"],
    summary: "A change of a project, POSTed to each webhook whose events match it",
    description:
      "Verify `TaskFlow-Signature` before trusting the body: recompute HMAC-SHA256 with the webhook's " +
      "secret over `<t>.<raw body>`, compare in constant time, and refuse a `t` more than a few minutes " +
      "off. Delivery is at least once: deduplicate on `id` (= `TaskFlow-Delivery`). Any 2xx answer " +
      "delivers; anything else, a redirect, an error or no answer within 10 s is retried with " +
      "exponential backoff (10 s doubling, at most 1 h; 8 attempts).",
    request: {
      headers: z.object({
        "TaskFlow-Event": z.string().openapi({ description: "The audit action", example: "task.created" }),
        "TaskFlow-Delivery": z.string().openapi({ description: "The delivery id, the same on every retry" }),
        "TaskFlow-Signature": z.string().openapi({
          description: 't=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>',
          example: "t=1795520000,v1=5257a869e7ecebeda32affa62cdca3fa51cad7e77a0e56ff536d0ce8e108d8bd",
        }),
      }),
      body: { required: true, content: { "application/json": { schema: WebhookPayload } } },
    },
    responses: {
      200: { description: "Any 2xx answer marks the delivery delivered" },
      default: { description: "Anything else is retried until the last attempt fails the delivery" },
    },
  });
}
