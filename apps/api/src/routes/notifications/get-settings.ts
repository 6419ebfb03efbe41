import { createRoute } from "@hono/zod-openapi";
import { NotificationSettings } from "@taskflow/contracts";
import { getNotificationSettings } from "@taskflow/core";
import type { ApiApp } from "../../app-env.ts";
import { authenticated, jsonResponse, problems } from "../../openapi/route-helpers.ts";

const route = createRoute({
  method: "get",
  path: "/api/notifications/settings",
  tags: ["Notifications"],
  summary: "Your notification settings: the inbox always; mail per kind (immediate, daily digest, off)",
  security: authenticated,
  responses: {
    200: jsonResponse(NotificationSettings, "Your settings, with each kind's default"),
    ...problems(401, 403),
  },
});

export function registerGetNotificationSettings(app: ApiApp): void {
  app.openapi(route, async (c) => c.json(await getNotificationSettings(c.var.db, c.var.actor), 200));
}
