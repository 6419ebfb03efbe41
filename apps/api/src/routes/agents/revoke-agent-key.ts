import { createRoute } from "@hono/zod-openapi";
import { revokeAgentKey } from "@taskflow/core";
import type { ApiApp } from "../../app-env.ts";
import { authenticated, noContent, problems } from "../../openapi/route-helpers.ts";
import { AgentKeyParams } from "./agent-params.ts";

const route = createRoute({
  method: "delete",
  path: "/api/agents/{id}/keys/{keyId}",
  tags: ["Agents"],
  summary: "Revoke one of an agent's API keys; it stops working at once (organization owners and admins)",
  security: authenticated,
  request: { params: AgentKeyParams },
  responses: { 204: noContent, ...problems(400, 401, 403, 404) },
});

export function registerRevokeAgentKey(app: ApiApp): void {
  app.openapi(route, async (c) => {
    const { id, keyId } = c.req.valid("param");
    await revokeAgentKey(c.var.db, c.var.actor, id, keyId);
    return c.body(null, 204);
  });
}
