import { createRoute, z } from "@hono/zod-openapi";
import {
  eventAccessRecheckMs,
  getRun,
  isRunEvent,
  type ProjectEventHub,
  projectFeed,
  runEventsSince,
  unauthenticated,
} from "@taskflow/core";
import { streamSSE } from "hono/streaming";
import type { ApiApp } from "../../app-env.ts";
import { authenticated, IdParam, problems } from "../../openapi/route-helpers.ts";
import { credentialExpiresAt, reauthorizer, type StreamCredentials } from "../events/stream-access.ts";
import type { StreamMetrics } from "../events/stream-metrics.ts";

const heartbeatMs = 15_000;

const RunEvent = z
  .object({
    event: z.string().openapi({
      description:
        "`run.<activity type>` (`run.prompt`, `run.thought` …), `run.opened`, `run.taken_up`, " +
        "`run.stale`, `ping`, or `access_ended` (the last one)",
    }),
    id: z.string().regex(/^\d+$/).optional().openapi({ description: "The audit entry's sequence number" }),
    data: z.string().openapi({
      description:
        "The audit entry as JSON (for an activity, `after` is the activity with the run's new `state`); empty " +
        "for `ping`; for `access_ended`, `{reason, detail}`",
    }),
  })
  .openapi("RunEvent");

const route = createRoute({
  method: "get",
  path: "/api/runs/{id}/events",
  tags: ["Runs"],
  summary:
    "A run's activities as they happen (Server-Sent Events): prompts and answers reach the agent at once",
  description:
    "Each activity, and the run opening, being taken up or going stale, as its audit entry. Without " +
    "`Last-Event-ID` the run's whole history is replayed first; with it, what came after. Receiving it is " +
    "reading the run's project, decided as for `GET /api/projects/{id}/events` (authorizeProjectEvents): " +
    `again at least every ${eventAccessRecheckMs / 1000} s, at once when a member is removed or a credential ` +
    "revoked, ending at the credential's expiry with a last `access_ended` event (`expired`, `revoked`, `lost`, " +
    "`unavailable`). A `ping` every 15 s keeps idle connections open.",
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
      description: "A stream of the run's events, until the caller's access or credential ends",
      content: { "text/event-stream": { schema: RunEvent } },
    },
    ...problems(400, 401, 404),
  },
});

export interface StreamRunEventsDependencies extends StreamCredentials {
  hub: ProjectEventHub;
  metrics: StreamMetrics;
}

export function registerStreamRunEvents(app: ApiApp, deps: StreamRunEventsDependencies): void {
  app.openapi(route, async (c) => {
    const { db, actor } = c.var;
    // Reading the run decides as reading its project; the stream then lives by authorizeProjectEvents.
    const run = await getRun(db, actor, c.req.valid("param").id);
    const authorization = c.req.header("authorization");
    const expiresAt = await credentialExpiresAt(db, actor, authorization);
    if (expiresAt && expiresAt.getTime() <= Date.now()) throw unauthenticated("the token has expired");
    const lastEventId = Number(c.req.valid("header")["last-event-id"] ?? 0);

    return streamSSE(c, async (stream) => {
      const gone = new AbortController();
      stream.onAbort(() => gone.abort());
      const feed = projectFeed({
        hub: deps.hub,
        db,
        tenantId: actor.tenantId,
        projectId: run.projectId,
        afterId: lastEventId,
        reauthorize: deps.metrics.timed(reauthorizer(db, deps, authorization, run.projectId)),
        expiresAt,
        signal: gone.signal,
        heartbeatMs,
        filter: isRunEvent(run.id),
        replay: (afterId, limit) => runEventsSince(db, run, actor.tenantId, afterId, limit),
      });
      for await (const item of feed) {
        if (item.kind === "event") {
          const { entry } = item;
          await stream.writeSSE({ id: entry.id, event: entry.action, data: JSON.stringify(entry) });
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
