import { createRoute } from "@hono/zod-openapi";
import { Task, TaskCreate } from "@taskflow/contracts";
import { createTask } from "@taskflow/core";
import type { ApiApp } from "../../app-env.ts";
import { authenticated, IdParam, jsonBody, jsonResponse, problems } from "../../openapi/route-helpers.ts";
import { taskETag } from "./task-version.ts";

const route = createRoute({
  method: "post",
  path: "/api/projects/{id}/tasks",
  tags: ["Tasks"],
  summary: "Create a task in a project (members and up); with `parentId`, a subtask",
  description:
    "The assignee must be a member of the project (a person or an agent). With `recurrence`, completing " +
    "the task creates its next occurrence. `dependsOn` lists tasks of the project it waits for. An " +
    "agent creating a subtask for another worker delegates it (`delegatedById`); beyond " +
    "`DELEGATION_MAX_DEPTH` delegation links (default 5) it is refused with 409.",
  security: authenticated,
  request: { params: IdParam, body: jsonBody(TaskCreate) },
  responses: {
    201: jsonResponse(Task, "The new task"),
    ...problems(400, 401, 403, 404, 409, 422),
  },
});

export function registerCreateTask(app: ApiApp): void {
  app.openapi(route, async (c) => {
    const task = await createTask(c.get("db"), c.get("actor"), c.req.valid("param").id, c.req.valid("json"), {
      delegationMaxDepth: c.get("delegationMaxDepth"),
    });
    c.header("etag", taskETag(task));
    c.header("location", `/api/tasks/${task.id}`);
    return c.json(task, 201);
  });
}
