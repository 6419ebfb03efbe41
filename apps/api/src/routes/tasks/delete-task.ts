import { createRoute } from "@hono/zod-openapi";
import { deleteTask } from "@taskflow/core";
import type { ApiApp } from "../../app-env.ts";
import { authenticated, IdParam, noContent, problems } from "../../openapi/route-helpers.ts";
import { expectedVersion, IfMatchHeaders } from "./task-version.ts";

const route = createRoute({
  method: "delete",
  path: "/api/tasks/{id}",
  tags: ["Tasks"],
  summary: "Delete a task with all its subtasks (its creator, or admins and owners)",
  description:
    "Subtasks, to any depth, and comments are deleted with the task; each deleted task gets its own " +
    "`task.deleted` audit entry, and the audit trail stays.",
  security: authenticated,
  request: { params: IdParam, headers: IfMatchHeaders },
  responses: { 204: noContent, ...problems(400, 401, 403, 404, 412) },
});

export function registerDeleteTask(app: ApiApp): void {
  app.openapi(route, async (c) => {
    await deleteTask(c.var.db, c.var.actor, c.req.valid("param").id, {
      expectedVersion: expectedVersion(c.req.valid("header")),
    });
    return c.body(null, 204);
  });
}
