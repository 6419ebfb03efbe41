import { createRoute } from "@hono/zod-openapi";
import { StatusChange, Task } from "@taskflow/contracts";
import { changeTaskStatus } from "@taskflow/core";
import type { ApiApp } from "../../app-env.ts";
import { authenticated, IdParam, jsonBody, problems } from "../../openapi/route-helpers.ts";
import { etagHeader, expectedVersion, IfMatchHeaders, taskETag } from "./task-version.ts";

const route = createRoute({
  method: "patch",
  path: "/api/tasks/{id}/status",
  tags: ["Tasks"],
  summary: "Move a task to another status, along the transition table",
  description:
    "pending → in_progress | blocked; in_progress → review | completed | blocked | pending; review → " +
    "completed | in_progress (reviewers: admins and owners); blocked → in_progress | pending; completed → " +
    "in_progress (reopen). Any other move answers 409 with `allowed`, the moves open from the current " +
    "status. A `note` is kept as a comment. Completing a recurring task creates its next occurrence. " +
    "Leaving in_progress ends the task's claim (the assignee stays); sending a task in review back to " +
    "in_progress gives an agent assignee a fresh claim.",
  security: authenticated,
  request: { params: IdParam, headers: IfMatchHeaders, body: jsonBody(StatusChange) },
  responses: {
    200: {
      description: "The task in its new status",
      headers: etagHeader,
      content: { "application/json": { schema: Task } },
    },
    ...problems(400, 401, 403, 404, 409, 412),
  },
});

export function registerChangeTaskStatus(app: ApiApp): void {
  app.openapi(route, async (c) => {
    const task = await changeTaskStatus(
      c.get("db"),
      c.get("actor"),
      c.req.valid("param").id,
      c.req.valid("json"),
      {
        expectedVersion: expectedVersion(c.req.valid("header")),
        leaseSeconds: c.get("leaseSeconds"),
      },
    );
    c.header("etag", taskETag(task));
    return c.json(task, 200);
  });
}
