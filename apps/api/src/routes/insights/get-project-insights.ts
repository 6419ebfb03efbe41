import { createRoute } from "@hono/zod-openapi";
import { InsightsQuery, ProjectInsights } from "@taskflow/contracts";
import { getProjectInsights } from "@taskflow/core";
import type { ApiApp } from "../../app-env.ts";
import { authenticated, IdParam, jsonResponse, problems } from "../../openapi/route-helpers.ts";

const route = createRoute({
  method: "get",
  path: "/api/projects/{id}/insights",
  tags: ["Insights"],
  summary:
    "A project's insights from its audit trail: cumulative flow, throughput, review and cycle times, agents",
  description:
    "Days and ISO weeks are UTC. Readable by whoever may read the project's audit trail (`audit.read`).",
  security: authenticated,
  request: { params: IdParam, query: InsightsQuery },
  responses: {
    200: jsonResponse(ProjectInsights, "The project's insights for the window"),
    ...problems(400, 401, 403, 404, 422),
  },
});

export function registerGetProjectInsights(app: ApiApp): void {
  app.openapi(route, async (c) =>
    c.json(
      await getProjectInsights(c.var.db, c.var.actor, c.req.valid("param").id, c.req.valid("query")),
      200,
    ),
  );
}
