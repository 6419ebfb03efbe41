import { createRoute } from "@hono/zod-openapi";
import { RunList, RunListQuery } from "@taskflow/contracts";
import { listAgentRuns } from "@taskflow/core";
import type { ApiApp } from "../../app-env.ts";
import { authenticated, IdParam, jsonResponse, problems } from "../../openapi/route-helpers.ts";

const route = createRoute({
  method: "get",
  path: "/api/agents/{id}/runs",
  tags: ["Runs"],
  summary: "An agent's runs, newest first, in the projects you may read",
  description:
    "Only runs in projects the caller may read: its member projects (every project for the organization's " +
    "owners and admins), and for an agent key those it is scoped to. `state=stale` or `state=error` lists " +
    "the runs that need a look.",
  security: authenticated,
  request: { params: IdParam, query: RunListQuery },
  responses: {
    200: jsonResponse(RunList, "The agent's runs"),
    ...problems(400, 401, 403, 404),
  },
});

export function registerListAgentRuns(app: ApiApp): void {
  app.openapi(route, async (c) => {
    const items = await listAgentRuns(c.var.db, c.var.actor, c.req.valid("param").id, c.req.valid("query"));
    return c.json({ items }, 200);
  });
}
