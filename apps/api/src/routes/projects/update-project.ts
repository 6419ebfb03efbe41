import { createRoute } from "@hono/zod-openapi";
import { Project, ProjectUpdate } from "@taskflow/contracts";
import { updateProject } from "@taskflow/core";
import type { ApiApp } from "../../app-env.ts";
import { authenticated, IdParam, jsonBody, jsonResponse, problems } from "../../openapi/route-helpers.ts";

const route = createRoute({
  method: "patch",
  path: "/api/projects/{id}",
  tags: ["Projects"],
  summary: "Change a project's name, slug, description or owner (admins; owner changes by owners)",
  security: authenticated,
  request: { params: IdParam, body: jsonBody(ProjectUpdate) },
  responses: {
    200: jsonResponse(Project, "The updated project"),
    ...problems(400, 401, 403, 404, 409, 422),
  },
});

export function registerUpdateProject(app: ApiApp): void {
  app.openapi(route, async (c) =>
    c.json(await updateProject(c.var.db, c.var.actor, c.req.valid("param").id, c.req.valid("json")), 200),
  );
}
