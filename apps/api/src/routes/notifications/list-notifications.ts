import { createRoute } from "@hono/zod-openapi";
import { NotificationPage, NotificationQuery } from "@taskflow/contracts";
import { listNotifications } from "@taskflow/core";
import type { ApiApp } from "../../app-env.ts";
import { authenticated, jsonResponse, problems } from "../../openapi/route-helpers.ts";

const route = createRoute({
  method: "get",
  path: "/api/notifications",
  tags: ["Notifications"],
  summary: "Your inbox (“Needs you”), newest first",
  description:
    "Your own notifications, of the projects you are a member of now (a project you leave takes its " +
    "notifications out of your inbox). Filter by `kind` and `unread=true`; page with `cursor`. People only: " +
    "an agent key is refused (403); a token needs `taskflow:read`.",
  security: authenticated,
  request: { query: NotificationQuery },
  responses: {
    200: jsonResponse(NotificationPage, "One page of notifications"),
    ...problems(400, 401, 403, 422),
  },
});

export function registerListNotifications(app: ApiApp): void {
  app.openapi(route, async (c) =>
    c.json(await listNotifications(c.var.db, c.var.actor, c.req.valid("query")), 200),
  );
}
