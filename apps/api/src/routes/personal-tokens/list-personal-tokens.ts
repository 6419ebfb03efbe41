import { createRoute, z } from "@hono/zod-openapi";
import { PersonalToken } from "@taskflow/contracts";
import { listPersonalTokens } from "@taskflow/core";
import type { ApiApp } from "../../app-env.ts";
import { jsonResponse, problems, signedIn } from "../../openapi/route-helpers.ts";

const route = createRoute({
  method: "get",
  path: "/api/personal-tokens",
  tags: ["Personal access tokens"],
  summary: "List your personal access tokens, newest first; never the secret (signed in)",
  security: signedIn,
  responses: {
    200: jsonResponse(z.array(PersonalToken), "Your tokens, revoked and expired ones included"),
    ...problems(401, 403),
  },
});

export function registerListPersonalTokens(app: ApiApp): void {
  app.openapi(route, async (c) => c.json(await listPersonalTokens(c.var.db, c.var.actor), 200));
}
