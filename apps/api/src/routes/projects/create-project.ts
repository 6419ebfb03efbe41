import { createRoute } from "@hono/zod-openapi";
import { Project, ProjectCreate } from "@taskflow/contracts";
import { createProject } from "@taskflow/core";
import type { ApiApp } from "../../app-env.ts";
import { authenticated, jsonBody, jsonResponse, problems } from "../../openapi/route-helpers.ts";

const route = createRoute({
  method: "post",
  path: "/api/projects",
  tags: ["Projects"],
  summary: "Create a project owned by the caller",
  security: authenticated,
  request: { body: jsonBody(ProjectCreate) },
  responses: {
    201: jsonResponse(Project, "The new project"),
    ...problems(400, 401, 403, 409),
  },
});

export function registerCreateProject(app: ApiApp): void {
  app.openapi(route, async (c) =>
    c.json(await createProject(c.var.db, c.var.actor, c.req.valid("json")), 201),
  );
}
