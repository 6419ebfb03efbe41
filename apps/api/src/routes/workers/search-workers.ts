import { createRoute, z } from "@hono/zod-openapi";
import { Worker, WorkerSearchQuery } from "@taskflow/contracts";
import { searchWorkers } from "@taskflow/core";
import type { ApiApp } from "../../app-env.ts";
import { authenticated, jsonResponse, problems } from "../../openapi/route-helpers.ts";

const route = createRoute({
  method: "get",
  path: "/api/members/search",
  tags: ["Workers"],
  summary: "Find people and agents by part of their handle, name or email, to @-mention or assign",
  description:
    "Handles starting with `q` come first. With `projectId`, only that project's members (the caller must be able to read the project).",
  security: authenticated,
  request: { query: WorkerSearchQuery },
  responses: {
    200: jsonResponse(z.array(Worker), "Matching workers, at most `limit`"),
    ...problems(400, 401, 404),
  },
});

export function registerSearchWorkers(app: ApiApp): void {
  app.openapi(route, async (c) =>
    c.json(await searchWorkers(c.var.db, c.var.actor, c.req.valid("query")), 200),
  );
}
