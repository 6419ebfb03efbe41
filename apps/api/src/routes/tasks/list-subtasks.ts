import { createRoute, z } from "@hono/zod-openapi";
import { Task } from "@taskflow/contracts";
import { listSubtasks } from "@taskflow/core";
import type { ApiApp } from "../../app-env.ts";
import { authenticated, IdParam, jsonResponse, problems } from "../../openapi/route-helpers.ts";

const route = createRoute({
  method: "get",
  path: "/api/tasks/{id}/subtasks",
  tags: ["Tasks"],
  summary: "A task's direct subtasks, oldest first",
  security: authenticated,
  request: { params: IdParam },
  responses: {
    200: jsonResponse(z.array(Task), "The direct subtasks"),
    ...problems(400, 401, 404),
  },
});

export function registerListSubtasks(app: ApiApp): void {
  app.openapi(route, async (c) =>
    c.json(await listSubtasks(c.var.db, c.var.actor, c.req.valid("param").id), 200),
  );
}
