import { createRoute, z } from "@hono/zod-openapi";
import { Worker, WorkerListQuery } from "@taskflow/contracts";
import { listWorkers } from "@taskflow/core";
import type { ApiApp } from "../../app-env.ts";
import { authenticated, jsonResponse, problems } from "../../openapi/route-helpers.ts";

const route = createRoute({
  method: "get",
  path: "/api/workers",
  tags: ["Workers"],
  summary:
    "List the organization's people and agents (deleted agents only with `includeDeleted=true`), by handle",
  security: authenticated,
  request: { query: WorkerListQuery },
  responses: {
    200: jsonResponse(z.array(Worker), "The workers"),
    ...problems(400, 401),
  },
});

export function registerListWorkers(app: ApiApp): void {
  app.openapi(route, async (c) =>
    c.json(await listWorkers(c.var.db, c.var.actor, c.req.valid("query")), 200),
  );
}
