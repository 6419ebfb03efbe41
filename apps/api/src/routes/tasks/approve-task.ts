import { createRoute } from "@hono/zod-openapi";
import { Approval, Task } from "@taskflow/contracts";
import { approveTask } from "@taskflow/core";
import type { ApiApp } from "../../app-env.ts";
import { authenticated, IdParam, optionalJsonBody, problems } from "../../openapi/route-helpers.ts";
import { etagHeader, expectedVersion, IfMatchHeaders, taskETag } from "./task-version.ts";

const route = createRoute({
  method: "post",
  path: "/api/tasks/{id}/approve",
  tags: ["Tasks"],
  summary: "Approve a task in review: it is completed (admins and owners)",
  description:
    "Only a task in review can be approved (otherwise 409 with `allowed`). A `note` is kept as a comment. " +
    "Completing a recurring task creates its next occurrence.",
  security: authenticated,
  request: { params: IdParam, headers: IfMatchHeaders, body: optionalJsonBody(Approval) },
  responses: {
    200: {
      description: "The completed task",
      headers: etagHeader,
      content: { "application/json": { schema: Task } },
    },
    ...problems(400, 401, 403, 404, 409, 412),
  },
});

export function registerApproveTask(app: ApiApp): void {
  app.openapi(route, async (c) => {
    const task = await approveTask(c.var.db, c.var.actor, c.req.valid("param").id, c.req.valid("json"), {
      expectedVersion: expectedVersion(c.req.valid("header")),
    });
    c.header("etag", taskETag(task));
    return c.json(task, 200);
  });
}
