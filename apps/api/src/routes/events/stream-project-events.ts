import { createRoute, z } from "@hono/zod-openapi";
import type { AuditEntry } from "@taskflow/contracts";
import { getProject, type ProjectEventHub, projectEventsSince } from "@taskflow/core";
import { streamSSE } from "hono/streaming";
import type { ApiApp } from "../../app-env.ts";
import { authenticated, IdParam, problems } from "../../openapi/route-helpers.ts";

const heartbeatMs = 15_000;

const ServerSentEvent = z
  .object({
    event: z.string().openapi({ description: "The audit action (`task.created`), or `ping`" }),
    id: z.string().regex(/^\d+$/).optional().openapi({ description: "The entry's sequence number" }),
    data: z.string().openapi({ description: "The audit entry as JSON; empty for `ping`" }),
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
    "`Last-Event-ID` to receive what was missed. A `ping` event every 15 s keeps idle connections open.",
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
      description: "An endless stream of events",
      // Open API 3.1: the schema of a `text/event-stream` describes each event.
      content: { "text/event-stream": { schema: ServerSentEvent } },
    },
    ...problems(400, 401, 404),
  },
});

export function registerStreamProjectEvents(app: ApiApp, hub: ProjectEventHub): void {
  app.openapi(route, async (c) => {
    const { id: projectId } = c.req.valid("param");
    const { db, actor } = c.var;
    await getProject(db, actor, projectId);
    const lastEventId = Number(c.req.valid("header")["last-event-id"] ?? 0);

    return streamSSE(c, async (stream) => {
      const queue: AuditEntry[] = [];
      let wake: (() => void) | undefined;
      // Subscribe before replaying, so nothing committed in between falls through the gap.
      let closed = false;
      const unsubscribe = hub.subscribe(
        projectId,
        (event) => {
          queue.push(event);
          wake?.();
        },
        () => {
          closed = true;
          wake?.();
        },
      );
      stream.onAbort(() => {
        closed = true;
        wake?.();
      });
      try {
        let sent = lastEventId;
        const send = async (event: AuditEntry) => {
          if (Number(event.id) <= sent) return;
          sent = Number(event.id);
          await stream.writeSSE({ id: event.id, event: event.action, data: JSON.stringify(event) });
        };
        for (const event of await projectEventsSince(db, actor.tenantId, projectId, lastEventId))
          await send(event);
        while (!closed) {
          while (queue.length > 0 && !closed) await send(queue.shift() as AuditEntry);
          if (closed) break;
          const woke = await new Promise<boolean>((resolve) => {
            const timer = setTimeout(() => resolve(false), heartbeatMs);
            wake = () => {
              clearTimeout(timer);
              resolve(true);
            };
          });
          wake = undefined;
          if (!woke && !closed) await stream.writeSSE({ event: "ping", data: "" });
        }
      } finally {
        unsubscribe();
      }
    });
  });
}
