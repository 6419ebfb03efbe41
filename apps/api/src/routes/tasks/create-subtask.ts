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
  description:
    "An agent assigning it to another worker delegates it (`delegatedById`); an agent's chain may hold " +
    "at most `DELEGATION_MAX_DEPTH` delegation links (default 5): the next is refused with 409. " +
    "People are not capped.",
  security: authenticated,
  request: { params: IdParam, body: jsonBody(SubtaskCreate) },
  responses: {
    201: jsonResponse(Task, "The new subtask"),
    ...problems(400, 401, 403, 404, 409, 422),
  },
});

export function registerCreateSubtask(app: ApiApp): void {
  app.openapi(route, async (c) => {
    const task = await createSubtask(c.var.db, c.var.actor, c.req.valid("param").id, c.req.valid("json"), {
      delegationMaxDepth: c.var.delegationMaxDepth,
    });
    c.header("etag", taskETag(task));
    c.header("location", `/api/tasks/${task.id}`);
    return c.json(task, 201);
  });
}
