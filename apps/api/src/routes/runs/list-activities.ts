import { createRoute } from "@hono/zod-openapi";
import { ActivityPage, ActivityQuery } from "@taskflow/contracts";
import { listActivities } from "@taskflow/core";
import type { ApiApp } from "../../app-env.ts";
import { authenticated, IdParam, jsonResponse, problems } from "../../openapi/route-helpers.ts";
import { runNotes } from "./run-params.ts";

const route = createRoute({
  method: "get",
  path: "/api/runs/{id}/activities",
  tags: ["Runs"],
  summary: "A run's activities in order (prompts, thoughts, actions, responses, questions, errors)",
  description: `${runNotes} Page with \`after\` from \`nextAfter\`; live: \`GET /api/runs/{id}/events\`.`,
  security: authenticated,
  request: { params: IdParam, query: ActivityQuery },
  responses: {
    200: jsonResponse(ActivityPage, "The run and one page of its activities"),
    ...problems(400, 401, 403, 404),
  },
});

export function registerListActivities(app: ApiApp): void {
  app.openapi(route, async (c) =>
    c.json(await listActivities(c.var.db, c.var.actor, c.req.valid("param").id, c.req.valid("query")), 200),
  );
}
