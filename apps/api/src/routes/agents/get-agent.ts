import { createRoute } from "@hono/zod-openapi";
import { Worker } from "@taskflow/contracts";
import { getAgent } from "@taskflow/core";
import type { ApiApp } from "../../app-env.ts";
import { authenticated, IdParam, jsonResponse, problems } from "../../openapi/route-helpers.ts";

const route = createRoute({
  method: "get",
  path: "/api/agents/{id}",
  tags: ["Agents"],
  summary: "Get an agent; a deleted one answers 404 (organization owners and admins)",
  security: authenticated,
  request: { params: IdParam },
  responses: {
    200: jsonResponse(Worker, "The agent"),
    ...problems(400, 401, 403, 404),
  },
});

export function registerGetAgent(app: ApiApp): void {
  app.openapi(route, async (c) =>
    c.json(await getAgent(c.var.db, c.var.actor, c.req.valid("param").id), 200),
  );
}
