import { createRoute, z } from "@hono/zod-openapi";
import { Task } from "@taskflow/contracts";
import { removeTaskDependency } from "@taskflow/core";
import type { ApiApp } from "../../app-env.ts";
import { authenticated, jsonResponse, problems } from "../../openapi/route-helpers.ts";
import { taskETag } from "./task-version.ts";

const DependencyParams = z.object({
  id: z.uuid().openapi({ param: { name: "id", in: "path" }, description: "The dependent task" }),
  dependsOnId: z
    .uuid()
    .openapi({ param: { name: "dependsOnId", in: "path" }, description: "The task it depends on" }),
});

const route = createRoute({
  method: "delete",
  path: "/api/tasks/{id}/dependencies/{dependsOnId}",
  tags: ["Tasks"],
  summary: "Drop a dependency of a task (members and up)",
  security: authenticated,
  request: { params: DependencyParams },
  responses: {
    200: jsonResponse(Task, "The task without that dependency"),
    ...problems(400, 401, 403, 404),
  },
});

export function registerRemoveTaskDependency(app: ApiApp): void {
  app.openapi(route, async (c) => {
    const { id, dependsOnId } = c.req.valid("param");
    const task = await removeTaskDependency(c.var.db, c.var.actor, id, dependsOnId);
    c.header("etag", taskETag(task));
    return c.json(task, 200);
  });
}
