import { createRoute, z } from "@hono/zod-openapi";
import { RecentQuery, Task } from "@taskflow/contracts";
import { listRecentTasks } from "@taskflow/core";
import type { ApiApp } from "../../app-env.ts";
import { authenticated, jsonResponse, problems } from "../../openapi/route-helpers.ts";

const route = createRoute({
  method: "get",
  path: "/api/tasks/recent",
  tags: ["Tasks"],
  summary: "The most recently changed tasks across every project the caller can see",
  security: authenticated,
  request: { query: RecentQuery },
  responses: {
    200: jsonResponse(z.array(Task), "Tasks, most recently changed first"),
    ...problems(400, 401),
  },
});

export function registerListRecentTasks(app: ApiApp): void {
  app.openapi(route, async (c) =>
    c.json(await listRecentTasks(c.var.db, c.var.actor, c.req.valid("query").limit), 200),
  );
}
