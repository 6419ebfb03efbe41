import { createRoute } from "@hono/zod-openapi";
import { Preferences, PreferencesUpdate } from "@taskflow/contracts";
import { updatePreferences } from "@taskflow/core";
import type { ApiApp } from "../../app-env.ts";
import { authenticated, jsonBody, jsonResponse, problems } from "../../openapi/route-helpers.ts";

const route = createRoute({
  method: "patch",
  path: "/api/workers/me/preferences",
  tags: ["Workers"],
  summary: "Choose your time zone (an IANA name; null goes back to the browser's)",
  description:
    "Your own only: the path names no one else. Audited as `preferences.changed` of your worker. Dates stay " +
    "stored and sent in UTC. Needs `taskflow:write`.",
  security: authenticated,
  request: { body: jsonBody(PreferencesUpdate) },
  responses: { 200: jsonResponse(Preferences, "Your preferences"), ...problems(400, 401, 403) },
});

export function registerUpdatePreferences(app: ApiApp): void {
  app.openapi(route, async (c) =>
    c.json(await updatePreferences(c.var.db, c.var.actor, c.req.valid("json")), 200),
  );
}
