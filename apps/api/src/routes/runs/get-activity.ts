import { createRoute } from "@hono/zod-openapi";
import { RunActivity } from "@taskflow/contracts";
import { getActivity } from "@taskflow/core";
import type { ApiApp } from "../../app-env.ts";
import { authenticated, jsonResponse, problems } from "../../openapi/route-helpers.ts";
import { ActivityParams, runNotes } from "./run-params.ts";

const route = createRoute({
  method: "get",
  path: "/api/runs/{id}/activities/{activityId}",
  tags: ["Runs"],
  summary: "One activity of a run (a question shows the prompt that answered it, once answered)",
  description: runNotes,
  security: authenticated,
  request: { params: ActivityParams },
  responses: {
    200: jsonResponse(RunActivity, "The activity"),
    ...problems(400, 401, 403, 404),
  },
});

export function registerGetActivity(app: ApiApp): void {
  app.openapi(route, async (c) => {
    const { id, activityId } = c.req.valid("param");
    return c.json(await getActivity(c.var.db, c.var.actor, id, activityId), 200);
  });
}
