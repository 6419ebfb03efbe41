import { createRoute } from "@hono/zod-openapi";
import { Task, TaskUpdate } from "@taskflow/contracts";
import { updateTask } from "@taskflow/core";
import type { ApiApp } from "../../app-env.ts";
import { authenticated, IdParam, jsonBody, problems } from "../../openapi/route-helpers.ts";
import { etagHeader, expectedVersion, IfMatchHeaders, taskETag } from "./task-version.ts";

const route = createRoute({
  method: "patch",
  path: "/api/tasks/{id}",
  tags: ["Tasks"],
  summary: "Change a task's title, description, priority, tags, due date or recurrence",
  description:
    "Status, progress and assignee have their own endpoints. Members and up. Send `If-Match` to refuse the " +
    "change when the task changed since you read it.",
  security: authenticated,
  request: { params: IdParam, headers: IfMatchHeaders, body: jsonBody(TaskUpdate) },
  responses: {
    200: {
      description: "The updated task",
      headers: etagHeader,
      content: { "application/json": { schema: Task } },
    },
    ...problems(400, 401, 403, 404, 412, 422),
  },
});

export function registerUpdateTask(app: ApiApp): void {
  app.openapi(route, async (c) => {
    const task = await updateTask(c.var.db, c.var.actor, c.req.valid("param").id, c.req.valid("json"), {
      expectedVersion: expectedVersion(c.req.valid("header")),
    });
    c.header("etag", taskETag(task));
    return c.json(task, 200);
  });
}
