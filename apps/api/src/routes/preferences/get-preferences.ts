import { createRoute } from "@hono/zod-openapi";
import { Preferences } from "@taskflow/contracts";
import { getPreferences } from "@taskflow/core";
import type { ApiApp } from "../../app-env.ts";
import { authenticated, jsonResponse, problems } from "../../openapi/route-helpers.ts";

const route = createRoute({
  method: "get",
  path: "/api/workers/me/preferences",
  tags: ["Workers"],
  summary: "Your preferences (the time zone you read and enter dates in)",
  description: "A person's own only; agents are refused. Needs `taskflow:read`.",
  security: authenticated,
  responses: { 200: jsonResponse(Preferences, "Your preferences"), ...problems(401, 403) },
});

export function registerGetPreferences(app: ApiApp): void {
  app.openapi(route, async (c) => c.json(await getPreferences(c.var.db, c.var.actor), 200));
}
