import { createRoute } from "@hono/zod-openapi";
import { UnreadCount, UnreadCountQuery } from "@taskflow/contracts";
import { unreadCount } from "@taskflow/core";
import type { ApiApp } from "../../app-env.ts";
import { authenticated, jsonResponse, problems } from "../../openapi/route-helpers.ts";

const route = createRoute({
  method: "get",
  path: "/api/notifications/unread-count",
  tags: ["Notifications"],
  summary: "How many of your notifications are unread, in all and per kind",
  security: authenticated,
  request: { query: UnreadCountQuery },
  responses: {
    200: jsonResponse(UnreadCount, "The unread count"),
    ...problems(400, 401, 403),
  },
});

export function registerUnreadCount(app: ApiApp): void {
  app.openapi(route, async (c) =>
    c.json(await unreadCount(c.var.db, c.var.actor, c.req.valid("query").kind), 200),
  );
}
