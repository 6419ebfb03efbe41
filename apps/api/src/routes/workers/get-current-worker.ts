import { createRoute } from "@hono/zod-openapi";
import { Worker } from "@taskflow/contracts";
import { getCurrentWorker } from "@taskflow/core";
import type { ApiApp } from "../../app-env.ts";
import { authenticated, jsonResponse, problems } from "../../openapi/route-helpers.ts";

const route = createRoute({
  method: "get",
  path: "/api/workers/me",
  tags: ["Workers"],
  summary: "The worker the caller acts as (created on a person's first request)",
  security: authenticated,
  responses: { 200: jsonResponse(Worker, "The caller's worker"), ...problems(401) },
});

export function registerGetCurrentWorker(app: ApiApp): void {
  app.openapi(route, async (c) => c.json(await getCurrentWorker(c.var.db, c.var.actor), 200));
}
