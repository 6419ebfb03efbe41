import { createRoute } from "@hono/zod-openapi";
import { IssuedPersonalToken, PersonalTokenCreate } from "@taskflow/contracts";
import { createPersonalToken } from "@taskflow/core";
import type { ApiApp } from "../../app-env.ts";
import { jsonBody, jsonResponse, problems, signedIn } from "../../openapi/route-helpers.ts";

const route = createRoute({
  method: "post",
  path: "/api/personal-tokens",
  tags: ["Personal access tokens"],
  summary: "Create a personal access token for yourself (signed in; never with such a token)",
  description:
    "A token for scripts: `Authorization: Bearer tfp_…` on this API and the MCP server, acting as you with " +
    "its `scopes` (at most those of your sign-in: 422 naming `body.scopes` otherwise) and no organization " +
    "role, audited with channel `pat`. Shown this once; only its hash is stored. It expires after " +
    "`expiresInDays` (1–365, default 30). At most 20 live tokens per person (409). Needs `taskflow:manage`.",
  security: signedIn,
  request: { body: jsonBody(PersonalTokenCreate) },
  responses: {
    201: jsonResponse(IssuedPersonalToken, "The token, shown this once"),
    ...problems(400, 401, 403, 409, 422),
  },
});

export function registerCreatePersonalToken(app: ApiApp): void {
  app.openapi(route, async (c) =>
    c.json(await createPersonalToken(c.var.db, c.var.actor, c.req.valid("json")), 201),
  );
}
