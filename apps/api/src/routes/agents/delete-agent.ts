import { createRoute } from "@hono/zod-openapi";
import { deleteAgent } from "@taskflow/core";
import type { ApiApp } from "../../app-env.ts";
import { authenticated, IdParam, noContent, problems } from "../../openapi/route-helpers.ts";

const route = createRoute({
  method: "delete",
  path: "/api/agents/{id}",
  tags: ["Agents"],
  summary: "Delete an agent (organization owners and admins)",
  description:
    "Its keys are revoked, its memberships removed and its open tasks unassigned; it stays in the audit trail. An agent that is the last owner of a project is refused with 409.",
  security: authenticated,
  request: { params: IdParam },
  responses: { 204: noContent, ...problems(400, 401, 403, 404, 409) },
});

export function registerDeleteAgent(app: ApiApp): void {
  app.openapi(route, async (c) => {
    await deleteAgent(c.var.db, c.var.actor, c.req.valid("param").id);
    return c.body(null, 204);
  });
}
