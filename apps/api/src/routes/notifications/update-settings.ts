import { createRoute } from "@hono/zod-openapi";
import { NotificationSettings, NotificationSettingsUpdate } from "@taskflow/contracts";
import { updateNotificationSettings } from "@taskflow/core";
import type { ApiApp } from "../../app-env.ts";
import { authenticated, jsonBody, jsonResponse, problems } from "../../openapi/route-helpers.ts";

const route = createRoute({
  method: "patch",
  path: "/api/notifications/settings",
  tags: ["Notifications"],
  summary: "Choose the mail you get per kind; kinds left out keep theirs",
  description: "Audited as `notification_settings.changed` of your worker. Needs `taskflow:write`.",
  security: authenticated,
  request: { body: jsonBody(NotificationSettingsUpdate) },
  responses: {
    200: jsonResponse(NotificationSettings, "Your settings"),
    ...problems(400, 401, 403),
  },
});

export function registerUpdateNotificationSettings(app: ApiApp): void {
  app.openapi(route, async (c) =>
    c.json(await updateNotificationSettings(c.var.db, c.var.actor, c.req.valid("json")), 200),
  );
}
