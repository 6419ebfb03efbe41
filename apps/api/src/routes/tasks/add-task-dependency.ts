import { createRoute } from "@hono/zod-openapi";
import { DependencyCreate, Task } from "@taskflow/contracts";
import { addTaskDependency } from "@taskflow/core";
import type { ApiApp } from "../../app-env.ts";
import { authenticated, IdParam, jsonBody, jsonResponse, problems } from "../../openapi/route-helpers.ts";
import { taskETag } from "./task-version.ts";

const route = createRoute({
  method: "post",
  path: "/api/tasks/{id}/dependencies",
  tags: ["Tasks"],
  summary: "Make a task depend on another task of its project (members and up)",
  description:
    "The task cannot be claimed until every task it depends on is completed; `blockedBy` lists those " +
    "still open. A dependency that would close a cycle is refused with 409 and `cycle` naming the " +
    "tasks that would form it, in order. Adding an existing dependency changes nothing.",
  security: authenticated,
  request: { params: IdParam, body: jsonBody(DependencyCreate) },
  responses: {
    200: jsonResponse(Task, "The task with its dependencies"),
    ...problems(400, 401, 403, 404, 409, 422),
  },
});

export function registerAddTaskDependency(app: ApiApp): void {
  app.openapi(route, async (c) => {
    const task = await addTaskDependency(
      c.var.db,
      c.var.actor,
      c.req.valid("param").id,
      c.req.valid("json").dependsOnId,
    );
    c.header("etag", taskETag(task));
    return c.json(task, 200);
  });
}
