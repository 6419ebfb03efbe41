import { createRoute, z } from "@hono/zod-openapi";
import { Worker } from "@taskflow/contracts";
import { listAgents } from "@taskflow/core";
import type { ApiApp } from "../../app-env.ts";
import { authenticated, jsonResponse, problems } from "../../openapi/route-helpers.ts";

const route = createRoute({
  method: "get",
  path: "/api/agents",
  tags: ["Agents"],
  summary: "List the organization's agents, deleted ones left out (organization owners and admins)",
  security: authenticated,
  responses: {
    200: jsonResponse(z.array(Worker), "The agents, by handle"),
    ...problems(401, 403),
  },
});

export function registerListAgents(app: ApiApp): void {
  app.openapi(route, async (c) => c.json(await listAgents(c.var.db, c.var.actor), 200));
}
