import { z } from "@hono/zod-openapi";
import { AuditEntry } from "./audit.ts";
import { Cursor, Id, PageLimit, page, Timestamp } from "./common.ts";

export const WebhookEvent = z
  .string()
  .regex(
    /^(\*|[a-z][a-z_]*\.\*|[a-z][a-z_]*\.[a-z][a-z_]*)$/,
    "an audit action (`task.created`), a family (`task.*`) or `*`",
  )
  .openapi({ example: "task.*" });

export const WebhookUrl = z
  .url({ protocol: /^https?$/, error: "an http:// or https:// URL" })
  .max(2048)
  .openapi({
    description:
      "Where deliveries are POSTed. Addresses that resolve to loopback, private, link-local or other " +
      "internal networks are refused (unless the server allows private targets).",
    example: "https://hooks.example.com/taskflow",
  });

const Events = z
  .array(WebhookEvent)
  .min(1)
  .max(50)
  .openapi({ description: "Which changes to send: audit actions, `family.*` or `*`" });

export const Webhook = z
  .object({
    id: Id,
    projectId: Id,
    url: z.string(),
    events: z.array(z.string()),
    active: z.boolean().openapi({ description: "Inactive webhooks queue nothing; pending deliveries wait" }),
    pausedReason: z
      .string()
      .nullable()
      .openapi({
        description:
          "Why TaskFlow paused it (inactive): its owner may no longer receive the project's events (removed from " +
          "the project, banned, a deleted agent, no live key). An admin resumes it with `active: true` and " +
          "becomes its owner. Null when it was not paused by TaskFlow.",
        example: null,
      }),
    createdBy: Id.nullable().openapi({
      description:
        "Its owner, with whose access it sends: who created it, or the admin who took it over when resuming it",
    }),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .openapi("Webhook");
export type Webhook = z.infer<typeof Webhook>;

export const WebhookWithSecret = Webhook.extend({
  secret: z.string().openapi({
    description: "Signs every delivery (`TaskFlow-Signature`). Shown only at creation and on rotation.",
    example: "whsec_…",
  }),
}).openapi("WebhookWithSecret");
export type WebhookWithSecret = z.infer<typeof WebhookWithSecret>;

export const WebhookCreate = z
  .strictObject({
    url: WebhookUrl,
    events: Events.default(["*"]),
    active: z.boolean().default(true),
  })
  .openapi("WebhookCreate");
export type WebhookCreate = z.infer<typeof WebhookCreate>;

export const WebhookUpdate = z
  .strictObject({
    url: WebhookUrl.optional(),
    events: Events.optional(),
    active: z.boolean().optional(),
  })
  .refine((v) => Object.keys(v).length > 0, { message: "give at least one field to change" })
  .openapi("WebhookUpdate", { minProperties: 1 });
export type WebhookUpdate = z.infer<typeof WebhookUpdate>;

export const WebhookDeliveryStatus = z
  .enum(["pending", "delivered", "retrying", "failed"])
  .openapi("WebhookDeliveryStatus");

export const WebhookDelivery = z
  .object({
    id: z.string().openapi({ description: "Increasing; also the payload's `id` and `TaskFlow-Delivery`" }),
    webhookId: Id,
    auditId: z.string().openapi({ description: "The audit entry delivered" }),
    event: z.string().openapi({ example: "task.created" }),
    status: WebhookDeliveryStatus,
    attempts: z.number().int(),
    nextAttemptAt: Timestamp.nullable().openapi({
      description: "When the next attempt is due; null once finished",
    }),
    lastStatusCode: z.number().int().nullable(),
    lastError: z.string().nullable(),
    lastDurationMs: z.number().int().nullable(),
    createdAt: Timestamp,
    deliveredAt: Timestamp.nullable(),
  })
  .openapi("WebhookDelivery");
export type WebhookDelivery = z.infer<typeof WebhookDelivery>;

export const WebhookDeliveryQuery = z.strictObject({ limit: PageLimit, cursor: Cursor.optional() });
export const WebhookDeliveryPage = page(WebhookDelivery, "WebhookDeliveryPage");
export type WebhookDeliveryPage = z.infer<typeof WebhookDeliveryPage>;

/** The JSON body of every delivery. */
export const WebhookPayload = z
  .object({
    id: z.string().openapi({ description: "The delivery's id (the same on every retry)" }),
    event: z.string().openapi({ example: "task.status_changed" }),
    createdAt: Timestamp.openapi({ description: "When the change happened" }),
    data: AuditEntry,
  })
  .openapi("WebhookPayload");
export type WebhookPayload = z.infer<typeof WebhookPayload>;
