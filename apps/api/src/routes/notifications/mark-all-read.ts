import { createRoute } from "@hono/zod-openapi";
import { MarkAllRead, MarkedRead } from "@taskflow/contracts";
import { markAllNotificationsRead } from "@taskflow/core";
import type { ApiApp } from "../../app-env.ts";
import { authenticated, jsonResponse, optionalJsonBody, problems } from "../../openapi/route-helpers.ts";

const route = createRoute({
  method: "post",
  path: "/api/notifications/read-all",
  tags: ["Notifications"],
  summary: "Mark all your unread notifications read (or all of one kind)",
  description: "Needs `taskflow:write`.",
  security: authenticated,
  request: { body: optionalJsonBody(MarkAllRead) },
  responses: {
    200: jsonResponse(MarkedRead, "How many were unread"),
    ...problems(400, 401, 403),
  },
});

export function registerMarkAllNotificationsRead(app: ApiApp): void {
  app.openapi(route, async (c) =>
    c.json(await markAllNotificationsRead(c.var.db, c.var.actor, c.req.valid("json") ?? {}), 200),
  );
}
