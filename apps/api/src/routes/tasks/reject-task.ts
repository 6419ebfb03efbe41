import { createRoute } from "@hono/zod-openapi";
import { Rejection, Task } from "@taskflow/contracts";
import { rejectTask } from "@taskflow/core";
import type { ApiApp } from "../../app-env.ts";
import { authenticated, IdParam, jsonBody, problems } from "../../openapi/route-helpers.ts";
import { etagHeader, expectedVersion, IfMatchHeaders, taskETag } from "./task-version.ts";

const route = createRoute({
  method: "post",
  path: "/api/tasks/{id}/reject",
  tags: ["Tasks"],
  summary: "Send a task in review back to in_progress with a reason (admins and owners)",
  description:
    "Only a task in review can be rejected (otherwise 409 with `allowed`). The reason is kept as a comment. " +
    "The task goes back to its assignee: an agent gets a fresh claim (its lease runs from now).",
  security: authenticated,
  request: { params: IdParam, headers: IfMatchHeaders, body: jsonBody(Rejection) },
  responses: {
    200: {
      description: "The task, back in progress",
      headers: etagHeader,
      content: { "application/json": { schema: Task } },
    },
    ...problems(400, 401, 403, 404, 409, 412),
  },
});

export function registerRejectTask(app: ApiApp): void {
  app.openapi(route, async (c) => {
    const task = await rejectTask(c.var.db, c.var.actor, c.req.valid("param").id, c.req.valid("json"), {
      expectedVersion: expectedVersion(c.req.valid("header")),
      leaseSeconds: c.var.leaseSeconds,
    });
    c.header("etag", taskETag(task));
    return c.json(task, 200);
  });
}
