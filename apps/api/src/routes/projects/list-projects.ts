import { createRoute, z } from "@hono/zod-openapi";
import { Project } from "@taskflow/contracts";
import { listProjects } from "@taskflow/core";
import type { ApiApp } from "../../app-env.ts";
import { authenticated, jsonResponse, problems } from "../../openapi/route-helpers.ts";

const route = createRoute({
  method: "get",
  path: "/api/projects",
  tags: ["Projects"],
  summary: "List the projects the caller can see",
  security: authenticated,
  responses: {
    200: jsonResponse(z.array(Project), "Projects, by name"),
    ...problems(401),
  },
});

export function registerListProjects(app: ApiApp): void {
  app.openapi(route, async (c) => c.json(await listProjects(c.var.db, c.var.actor), 200));
}
