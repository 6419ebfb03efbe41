import { createRoute } from "@hono/zod-openapi";
import { Assignment, Task } from "@taskflow/contracts";
import { assignTask } from "@taskflow/core";
import type { ApiApp } from "../../app-env.ts";
import { authenticated, IdParam, jsonBody, problems } from "../../openapi/route-helpers.ts";
import { etagHeader, expectedVersion, IfMatchHeaders, taskETag } from "./task-version.ts";

const route = createRoute({
  method: "patch",
  path: "/api/tasks/{id}/assign",
  tags: ["Tasks"],
  summary: "Assign a task to a member of its project, person or agent, or unassign it (null)",
  description:
    "The assignee must be a member of the task's project; anyone else answers 422 naming `body.assigneeId`. " +
    "An agent assigning a subtask to another worker delegates it (`delegatedById`), capped as on creation: " +
    "409 once the chain above holds DELEGATION_MAX_DEPTH delegation links.",
  security: authenticated,
  request: { params: IdParam, headers: IfMatchHeaders, body: jsonBody(Assignment) },
  responses: {
    200: {
      description: "The task with its new assignee",
      headers: etagHeader,
      content: { "application/json": { schema: Task } },
    },
    ...problems(400, 401, 403, 404, 409, 412, 422),
  },
});

export function registerAssignTask(app: ApiApp): void {
  app.openapi(route, async (c) => {
    const task = await assignTask(c.var.db, c.var.actor, c.req.valid("param").id, c.req.valid("json"), {
      expectedVersion: expectedVersion(c.req.valid("header")),
      delegationMaxDepth: c.var.delegationMaxDepth,
    });
    c.header("etag", taskETag(task));
    return c.json(task, 200);
  });
}
