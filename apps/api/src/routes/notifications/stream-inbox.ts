import { createRoute, z } from "@hono/zod-openapi";
import {
  authorizeInbox,
  eventAccessRecheckMs,
  type InboxHub,
  inboxFeed,
  receivableNotifications,
  type TaskflowDb,
  unauthenticated,
} from "@taskflow/core";
import { resolveBearer } from "@taskflow/resource-auth";
import { streamSSE } from "hono/streaming";
import type { ApiApp } from "../../app-env.ts";
import { authenticated, problems } from "../../openapi/route-helpers.ts";
import { credentialExpiresAt, type StreamCredentials } from "../events/stream-access.ts";
import type { StreamMetrics } from "../events/stream-metrics.ts";

const heartbeatMs = 15_000;

const InboxEvent = z
  .object({
    event: z.string().openapi({
      description:
        "`inbox` (the unread count: first, then whenever it changes), `notification` (a new one), `ping`, " +
        "or `access_ended` (the last one)",
    }),
    id: z.string().regex(/^\d+$/).optional().openapi({ description: "A notification's sequence number" }),
    data: z.string().openapi({
      description:
        "`inbox`: `{unread, byKind}` as JSON; `notification`: the Notification as JSON; `ping`: empty; " +
        "`access_ended`: `{reason, detail}` as JSON (reason `expired`, `revoked` or `unavailable`)",
    }),
  })
  .openapi("InboxEvent");

const route = createRoute({
  method: "get",
  path: "/api/notifications/events",
  tags: ["Notifications"],
  summary: "Your inbox, live (Server-Sent Events): the unread count and each new notification",
  description:
    "Starts with an `inbox` event holding the unread count; then a `notification` event for each new one " +
    "(`id:` its sequence number: reconnect with `Last-Event-ID` to receive the ones missed, up to 100) and an " +
    "`inbox` event whenever the count changes (one read here or in another tab, a project left). Notifications " +
    "of a project you are removed from leave the count at once. It lives as long as your credential: decided " +
    `again at least every ${eventAccessRecheckMs / 1000} s and ended at its expiry, with a last \`access_ended\`.`,
  security: authenticated,
  request: {
    headers: z.object({
      "last-event-id": z
        .string()
        .regex(/^\d{1,15}$/, "the id of the last event received")
        .optional(),
    }),
  },
  responses: {
    200: {
      description: "A stream of inbox events, until the caller's credential ends",
      content: { "text/event-stream": { schema: InboxEvent } },
    },
    ...problems(400, 401, 403),
  },
});

export interface StreamInboxDependencies extends StreamCredentials {
  inbox: InboxHub;
  metrics: StreamMetrics;
}

/** The decision the stream repeats: the same credential still resolves to this person, who may read an inbox. */
function inboxReauthorizer(
  db: TaskflowDb,
  credentials: StreamCredentials,
  authorization: string | undefined,
  workerId: string,
): () => Promise<void> {
  return async () => {
    const { actor } = await resolveBearer(db, authorization, {
      verifyToken: credentials.verifyAccessToken,
      channel: "api",
      dashboardClientId: credentials.dashboardClientId,
      ...(credentials.isSubjectRevoked ? { isSubjectRevoked: credentials.isSubjectRevoked } : {}),
    });
    if (actor.workerId !== workerId) throw unauthenticated("the credential names someone else now");
    authorizeInbox(actor, "notification.read");
  };
}

export function registerStreamInbox(app: ApiApp, deps: StreamInboxDependencies): void {
  app.openapi(route, async (c) => {
    const { db, actor } = c.var;
    receivableNotifications(actor, "notification.read");
    const authorization = c.req.header("authorization");
    const expiresAt = await credentialExpiresAt(db, actor, authorization);
    if (expiresAt && expiresAt.getTime() <= Date.now()) throw unauthenticated("the token has expired");
    const lastEventId = Number(c.req.valid("header")["last-event-id"] ?? 0);

    return streamSSE(c, async (stream) => {
      const gone = new AbortController();
      stream.onAbort(() => gone.abort());
      const feed = inboxFeed({
        hub: deps.inbox,
        db,
        recipientId: actor.workerId,
        afterSeq: lastEventId,
        reauthorize: deps.metrics.timed(inboxReauthorizer(db, deps, authorization, actor.workerId)),
        expiresAt,
        signal: gone.signal,
        heartbeatMs,
      });
      for await (const item of feed) {
        if (item.kind === "notification") {
          const { notification } = item;
          await stream.writeSSE({
            id: notification.seq,
            event: "notification",
            data: JSON.stringify(notification),
          });
        } else if (item.kind === "count") {
          await stream.writeSSE({ event: "inbox", data: JSON.stringify(item.count) });
        } else if (item.kind === "ping") {
          await stream.writeSSE({ event: "ping", data: "" });
        } else {
          deps.metrics.ended(item.end.reason);
          await stream.writeSSE({ event: "access_ended", data: JSON.stringify(item.end) });
        }
      }
    });
  });
}
