import { createRoute } from "@hono/zod-openapi";
import { AgentInsights, InsightsQuery } from "@taskflow/contracts";
import { getAgentInsights } from "@taskflow/core";
import type { ApiApp } from "../../app-env.ts";
import { authenticated, IdParam, jsonResponse, problems } from "../../openapi/route-helpers.ts";

const route = createRoute({
  method: "get",
  path: "/api/agents/{id}/insights",
  tags: ["Insights"],
  summary: "What an agent did: claims, completions, rejections, stop requests, mean lease time, per week",
  description:
    "Across the organization's projects; days and ISO weeks are UTC. For whoever may see the agent (organization owners and admins).",
  security: authenticated,
  request: { params: IdParam, query: InsightsQuery },
  responses: {
    200: jsonResponse(AgentInsights, "The agent's insights for the window"),
    ...problems(400, 401, 403, 404, 422),
  },
});

export function registerGetAgentInsights(app: ApiApp): void {
  app.openapi(route, async (c) =>
    c.json(await getAgentInsights(c.var.db, c.var.actor, c.req.valid("param").id, c.req.valid("query")), 200),
  );
}
