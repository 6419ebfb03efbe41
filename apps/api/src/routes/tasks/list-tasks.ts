import { createRoute } from "@hono/zod-openapi";
import { TaskListQuery, TaskPage } from "@taskflow/contracts";
import { listTasks } from "@taskflow/core";
import type { ApiApp } from "../../app-env.ts";
import { jsonBytes } from "../../http/json-bytes.ts";
import { authenticated, IdParam, jsonResponse, problems } from "../../openapi/route-helpers.ts";

const route = createRoute({
  method: "get",
  path: "/api/projects/{id}/tasks",
  tags: ["Tasks"],
  summary: "List a project's tasks: filtered, sorted, a page at a time",
  description:
    "Filters combine with AND. Sorts: `due` (soonest first, no due date last), `priority` (highest first), " +
    "`created` and `updated` (newest first); ties are broken by id, so the order is stable. Pass " +
    "`nextCursor` as `cursor` with the same sort for the next page: pages never skip or repeat a task, " +
    "even while tasks are being added.",
  security: authenticated,
  request: { params: IdParam, query: TaskListQuery },
  responses: {
    200: jsonResponse(TaskPage, "One page of tasks"),
    ...problems(400, 401, 404, 422),
  },
});

export function registerListTasks(app: ApiApp): void {
  app.openapi(route, async (c) =>
    jsonBytes(
      c,
      await listTasks(c.get("db"), c.get("actor"), c.req.valid("param").id, c.req.valid("query")),
      200,
    ),
  );
}
