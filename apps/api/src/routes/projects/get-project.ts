import { createRoute } from "@hono/zod-openapi";
import { Project } from "@taskflow/contracts";
import { getProject } from "@taskflow/core";
import type { ApiApp } from "../../app-env.ts";
import { authenticated, IdParam, jsonResponse, problems } from "../../openapi/route-helpers.ts";

const route = createRoute({
  method: "get",
  path: "/api/projects/{id}",
  tags: ["Projects"],
  summary: "Get a project",
  security: authenticated,
  request: { params: IdParam },
  responses: {
    200: jsonResponse(Project, "The project, with the caller's role in it"),
    ...problems(400, 401, 404),
  },
});

export function registerGetProject(app: ApiApp): void {
  app.openapi(route, async (c) =>
    c.json(await getProject(c.var.db, c.var.actor, c.req.valid("param").id), 200),
  );
}
