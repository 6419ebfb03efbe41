import { createRoute } from "@hono/zod-openapi";
import { SubtaskCreate, Task } from "@taskflow/contracts";
import { createSubtask } from "@taskflow/core";
import type { ApiApp } from "../../app-env.ts";
import { authenticated, IdParam, jsonBody, jsonResponse, problems } from "../../openapi/route-helpers.ts";
import { taskETag } from "./task-version.ts";

const route = createRoute({
  method: "post",
  path: "/api/tasks/{id}/subtasks",
  tags: ["Tasks"],
  summary: "Break a task down: create a subtask in the same project (to any depth)",
  security: authenticated,
  request: { params: IdParam, body: jsonBody(SubtaskCreate) },
  responses: {
    201: jsonResponse(Task, "The new subtask"),
    ...problems(400, 401, 403, 404, 422),
  },
});

export function registerCreateSubtask(app: ApiApp): void {
  app.openapi(route, async (c) => {
    const task = await createSubtask(c.var.db, c.var.actor, c.req.valid("param").id, c.req.valid("json"));
    c.header("etag", taskETag(task));
    c.header("location", `/api/tasks/${task.id}`);
    return c.json(task, 201);
  });
}
