import { createRoute, z } from "@hono/zod-openapi";
import { AgentKey } from "@taskflow/contracts";
import { listAgentKeys } from "@taskflow/core";
import type { ApiApp } from "../../app-env.ts";
import { authenticated, IdParam, jsonResponse, problems } from "../../openapi/route-helpers.ts";

const route = createRoute({
  method: "get",
  path: "/api/agents/{id}/keys",
  tags: ["Agents"],
  summary: "List an agent's API keys, newest first; never the secret (organization owners and admins)",
  security: authenticated,
  request: { params: IdParam },
  responses: {
    200: jsonResponse(z.array(AgentKey), "The keys, revoked and expired ones included"),
    ...problems(400, 401, 403, 404),
  },
});

export function registerListAgentKeys(app: ApiApp): void {
  app.openapi(route, async (c) =>
    c.json(await listAgentKeys(c.var.db, c.var.actor, c.req.valid("param").id), 200),
  );
}
