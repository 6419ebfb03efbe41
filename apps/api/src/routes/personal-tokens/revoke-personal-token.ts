import { createRoute } from "@hono/zod-openapi";
import { revokePersonalToken } from "@taskflow/core";
import type { ApiApp } from "../../app-env.ts";
import { IdParam, noContent, problems, signedIn } from "../../openapi/route-helpers.ts";

const route = createRoute({
  method: "delete",
  path: "/api/personal-tokens/{id}",
  tags: ["Personal access tokens"],
  summary: "Revoke one of your personal access tokens; it stops working at once (signed in)",
  description:
    "Someone else's token, or one that does not exist, answers 404. Revoking it again changes nothing.",
  security: signedIn,
  request: { params: IdParam },
  responses: { 204: noContent, ...problems(400, 401, 403, 404) },
});

export function registerRevokePersonalToken(app: ApiApp): void {
  app.openapi(route, async (c) => {
    await revokePersonalToken(c.var.db, c.var.actor, c.req.valid("param").id);
    return c.body(null, 204);
  });
}
