import { createRoute } from "@hono/zod-openapi";
import { ProgressUpdate, Task } from "@taskflow/contracts";
import { updateTaskProgress } from "@taskflow/core";
import type { ApiApp } from "../../app-env.ts";
import { authenticated, IdParam, jsonBody, problems } from "../../openapi/route-helpers.ts";
import { etagHeader, expectedVersion, IfMatchHeaders, taskETag } from "./task-version.ts";

const route = createRoute({
  method: "patch",
  path: "/api/tasks/{id}/progress",
  tags: ["Tasks"],
  summary: "Report progress (0–100) on a task, optionally with a note",
  description:
    "The note is kept as a progress comment carrying the figure. A completed task answers 409: reopen it " +
    "first. Progress never changes the status.",
  security: authenticated,
  request: { params: IdParam, headers: IfMatchHeaders, body: jsonBody(ProgressUpdate) },
  responses: {
    200: {
      description: "The task with its new progress",
      headers: etagHeader,
      content: { "application/json": { schema: Task } },
    },
    ...problems(400, 401, 403, 404, 409, 412),
  },
});

export function registerUpdateTaskProgress(app: ApiApp): void {
  app.openapi(route, async (c) => {
    const task = await updateTaskProgress(
      c.var.db,
      c.var.actor,
      c.req.valid("param").id,
      c.req.valid("json"),
      {
        expectedVersion: expectedVersion(c.req.valid("header")),
      },
    );
    c.header("etag", taskETag(task));
    return c.json(task, 200);
  });
}
