import { createRoute } from "@hono/zod-openapi";
import { AgentUpdate, Worker } from "@taskflow/contracts";
import { updateAgent } from "@taskflow/core";
import type { ApiApp } from "../../app-env.ts";
import { authenticated, IdParam, jsonBody, jsonResponse, problems } from "../../openapi/route-helpers.ts";

const route = createRoute({
  method: "patch",
  path: "/api/agents/{id}",
  tags: ["Agents"],
  summary: "Change an agent's name, type or capabilities (organization owners and admins)",
  security: authenticated,
  request: { params: IdParam, body: jsonBody(AgentUpdate) },
  responses: {
    200: jsonResponse(Worker, "The updated agent"),
    ...problems(400, 401, 403, 404),
  },
});

export function registerUpdateAgent(app: ApiApp): void {
  app.openapi(route, async (c) =>
    c.json(await updateAgent(c.var.db, c.var.actor, c.req.valid("param").id, c.req.valid("json")), 200),
  );
}
