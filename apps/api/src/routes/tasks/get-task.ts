import { createRoute } from "@hono/zod-openapi";
import { TaskDetail } from "@taskflow/contracts";
import { getTask } from "@taskflow/core";
import type { ApiApp } from "../../app-env.ts";
import { authenticated, IdParam, problems } from "../../openapi/route-helpers.ts";
import { etagHeader, taskETag } from "./task-version.ts";

const route = createRoute({
  method: "get",
  path: "/api/tasks/{id}",
  tags: ["Tasks"],
  summary: "Get a task with its direct subtasks",
  security: authenticated,
  request: { params: IdParam },
  responses: {
    200: {
      description: "The task; its `ETag` is its version",
      headers: etagHeader,
      content: { "application/json": { schema: TaskDetail } },
    },
    ...problems(400, 401, 404),
  },
});

export function registerGetTask(app: ApiApp): void {
  app.openapi(route, async (c) => {
    const task = await getTask(c.var.db, c.var.actor, c.req.valid("param").id);
    c.header("etag", taskETag(task));
    return c.json(task, 200);
  });
}
