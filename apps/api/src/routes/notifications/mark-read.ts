import { createRoute } from "@hono/zod-openapi";
import { Notification } from "@taskflow/contracts";
import { markNotificationRead } from "@taskflow/core";
import type { ApiApp } from "../../app-env.ts";
import { authenticated, IdParam, jsonResponse, problems } from "../../openapi/route-helpers.ts";

const route = createRoute({
  method: "post",
  path: "/api/notifications/{id}/read",
  tags: ["Notifications"],
  summary: "Mark one of your notifications read",
  description:
    "Marking it again changes nothing. Someone else's notification, or one of a project you left, answers " +
    "404. Needs `taskflow:write`.",
  security: authenticated,
  request: { params: IdParam },
  responses: {
    200: jsonResponse(Notification, "The notification, read"),
    ...problems(400, 401, 403, 404),
  },
});

export function registerMarkNotificationRead(app: ApiApp): void {
  app.openapi(route, async (c) =>
    c.json(await markNotificationRead(c.var.db, c.var.actor, c.req.valid("param").id), 200),
  );
}
