import { createRoute, z } from "@hono/zod-openapi";
import {
  authorizeProjectEvents,
  eventAccessRecheckMs,
  freshStreamReplay,
  freshStreamStart,
  type ProjectEventHub,
  projectFeed,
  unauthenticated,
} from "@taskflow/core";
import { streamSSE } from "hono/streaming";
import type { ApiApp } from "../../app-env.ts";
import { authenticated, IdParam, problems } from "../../openapi/route-helpers.ts";
import { credentialExpiresAt, reauthorizer, type StreamCredentials } from "./stream-access.ts";
import type { StreamMetrics } from "./stream-metrics.ts";

const heartbeatMs = 15_000;

const ServerSentEvent = z
  .object({
    event: z.string().openapi({
      description: "The audit action (`task.created`), `ping`, or `access_ended` (the last one)",
    }),
    id: z.string().regex(/^\d+$/).optional().openapi({ description: "The entry's sequence number" }),
    data: z.string().openapi({
      description:
        "The audit entry as JSON; empty for `ping`; for `access_ended`, `{reason, detail}` as JSON " +
        "(reason `expired`, `revoked`, `lost` or `unavailable`)",
    }),
  })
  .openapi("ProjectEvent");

const route = createRoute({
  method: "get",
  path: "/api/projects/{id}/events",
  tags: ["Events"],
  summary: "Live changes of a project (Server-Sent Events)",
  description:
    "Each event is an audit entry (`event:` its action, `id:` its sequence number, `data:` the entry as JSON): " +
    "task, comment, member and project changes, by people, agents and the system. Reconnect with " +
    `\`Last-Event-ID\` to receive what was missed; a new connection first receives the project's latest ${freshStreamReplay} ` +
    "changes (`Last-Event-ID: 0`: its whole history). A `ping` event every 15 s keeps idle connections open. " +
    `The stream lives only as long as the caller may read the project: it is decided again at least every ${eventAccessRecheckMs / 1000} s ` +
    "(at once after a member is removed or re-roled, or the project deleted) and ends at the credential's expiry, " +
    "with a last `access_ended` event whose `reason` says why: `expired` (reconnect with a new token or key), " +
    "`revoked` (the credential is no longer accepted), `lost` (the project is gone or no longer yours), " +
    "`unavailable` (access could not be checked; reconnect later).",
  security: authenticated,
  request: {
    params: IdParam,
    headers: z.object({
      "last-event-id": z
        .string()
        .regex(/^\d{1,15}$/, "the id of the last event received")
        .optional(),
    }),
  },
  responses: {
    200: {
      description: "A stream of events, until the caller's access or credential ends",
      // Open API 3.1: the schema of a `text/event-stream` describes each event.
      content: { "text/event-stream": { schema: ServerSentEvent } },
    },
    ...problems(400, 401, 404),
  },
});

export interface StreamProjectEventsDependencies extends StreamCredentials {
  hub: ProjectEventHub;
  metrics: StreamMetrics;
}

export function registerStreamProjectEvents(app: ApiApp, deps: StreamProjectEventsDependencies): void {
  app.openapi(route, async (c) => {
    const { id: projectId } = c.req.valid("param");
    const { db, actor } = c.var;
    await authorizeProjectEvents(db, actor, projectId);
    const authorization = c.req.header("authorization");
    const expiresAt = await credentialExpiresAt(db, actor, authorization);
    // The verifier allows a few seconds of clock skew; a stream would end at once: refuse it instead, so a
    // client reconnecting with the token that just ran out is told to renew it rather than looping.
    if (expiresAt && expiresAt.getTime() <= Date.now()) throw unauthenticated("the token has expired");
    const lastEventIdHeader = c.req.valid("header")["last-event-id"];
    const lastEventId =
      lastEventIdHeader === undefined
        ? await freshStreamStart(db, actor.tenantId, projectId)
        : Number(lastEventIdHeader);

    return streamSSE(c, async (stream) => {
      const gone = new AbortController();
      stream.onAbort(() => gone.abort());
      const feed = projectFeed({
        hub: deps.hub,
        db,
        tenantId: actor.tenantId,
        projectId,
        afterId: lastEventId,
        reauthorize: deps.metrics.timed(reauthorizer(db, deps, authorization, projectId)),
        expiresAt,
        signal: gone.signal,
        heartbeatMs,
      });
      for await (const item of feed) {
        if (item.kind === "event") {
          const { entry } = item;
          await stream.writeSSE({ id: entry.id, event: entry.action, data: JSON.stringify(entry) });
        } else if (item.kind === "ping") {
          await stream.writeSSE({ event: "ping", data: "" });
        } else {
          // No id: a reconnecting client resumes after the last event it was actually given.
          deps.metrics.ended(item.end.reason);
          await stream.writeSSE({ event: "access_ended", data: JSON.stringify(item.end) });
        }
      }
    });
  });
}
