import { createRoute } from "@hono/zod-openapi";
import { Task } from "@taskflow/contracts";
import { releaseTask } from "@taskflow/core";
import type { ApiApp } from "../../app-env.ts";
import { authenticated, IdParam, jsonResponse, problems } from "../../openapi/route-helpers.ts";

const route = createRoute({
  method: "post",
  path: "/api/tasks/{id}/release",
  tags: ["Claims"],
  summary: "Give a claimed task back to the pool (pending, unassigned)",
  security: authenticated,
  request: { params: IdParam },
  responses: { 200: jsonResponse(Task, "The released task"), ...problems(400, 401, 403, 404, 409) },
});

export function registerReleaseTask(app: ApiApp): void {
  app.openapi(route, async (c) =>
    c.json(await releaseTask(c.var.db, c.var.actor, c.req.valid("param").id), 200),
  );
}
