import { createRoute } from "@hono/zod-openapi";
import { RunList, RunListQuery } from "@taskflow/contracts";
import { listTaskRuns } from "@taskflow/core";
import type { ApiApp } from "../../app-env.ts";
import { authenticated, IdParam, jsonResponse, problems } from "../../openapi/route-helpers.ts";
import { runNotes } from "./run-params.ts";

const route = createRoute({
  method: "get",
  path: "/api/tasks/{id}/runs",
  tags: ["Runs"],
  summary: "The agent runs on a task, newest first",
  description: runNotes,
  security: authenticated,
  request: { params: IdParam, query: RunListQuery },
  responses: {
    200: jsonResponse(RunList, "The task's runs"),
    ...problems(400, 401, 403, 404),
  },
});

export function registerListTaskRuns(app: ApiApp): void {
  app.openapi(route, async (c) => {
    const items = await listTaskRuns(c.var.db, c.var.actor, c.req.valid("param").id, c.req.valid("query"));
    return c.json({ items }, 200);
  });
}
