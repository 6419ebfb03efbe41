import { z } from "@hono/zod-openapi";

/** `/api/projects/{id}/webhooks/{webhookId}`: the project and one of its webhooks. */
export const WebhookParams = z.object({
  id: z.uuid().openapi({ param: { name: "id", in: "path" }, description: "The project's id" }),
  webhookId: z.uuid().openapi({ param: { name: "webhookId", in: "path" }, description: "The webhook's id" }),
});

/** What every webhook route says about who may use it and what is sent. */
export const webhookNotes =
  "Project admins and owners only (organization owners and admins count as project admins); " +
  "another organization's project or webhook answers 404.";
