import { createRoute } from "@hono/zod-openapi";
import { AgentRun } from "@taskflow/contracts";
import { getRun } from "@taskflow/core";
import type { ApiApp } from "../../app-env.ts";
import { authenticated, IdParam, jsonResponse, problems } from "../../openapi/route-helpers.ts";
import { runNotes } from "./run-params.ts";

const route = createRoute({
  method: "get",
  path: "/api/runs/{id}",
  tags: ["Runs"],
  summary: "One agent run: its task, agent and state",
  description: runNotes,
  security: authenticated,
  request: { params: IdParam },
  responses: {
    200: jsonResponse(AgentRun, "The run"),
    ...problems(400, 401, 403, 404),
  },
});

export function registerGetRun(app: ApiApp): void {
  app.openapi(route, async (c) => c.json(await getRun(c.var.db, c.var.actor, c.req.valid("param").id), 200));
}
