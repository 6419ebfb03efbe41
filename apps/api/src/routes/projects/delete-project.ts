import { createRoute } from "@hono/zod-openapi";
import { deleteProject } from "@taskflow/core";
import type { ApiApp } from "../../app-env.ts";
import { authenticated, IdParam, noContent, problems } from "../../openapi/route-helpers.ts";

const route = createRoute({
  method: "delete",
  path: "/api/projects/{id}",
  tags: ["Projects"],
  summary: "Delete a project with its tasks (owners); its audit trail is kept",
  security: authenticated,
  request: { params: IdParam },
  responses: { 204: noContent, ...problems(400, 401, 403, 404) },
});

export function registerDeleteProject(app: ApiApp): void {
  app.openapi(route, async (c) => {
    await deleteProject(c.var.db, c.var.actor, c.req.valid("param").id);
    return c.body(null, 204);
  });
}
