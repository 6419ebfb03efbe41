import { createRoute, z } from "@hono/zod-openapi";
import { Member } from "@taskflow/contracts";
import { listMembers } from "@taskflow/core";
import type { ApiApp } from "../../app-env.ts";
import { authenticated, IdParam, jsonResponse, problems } from "../../openapi/route-helpers.ts";

const route = createRoute({
  method: "get",
  path: "/api/projects/{id}/members",
  tags: ["Members"],
  summary: "List a project's members (people and agents), owners first",
  security: authenticated,
  request: { params: IdParam },
  responses: {
    200: jsonResponse(z.array(Member), "The members with their roles"),
    ...problems(400, 401, 404),
  },
});

export function registerListMembers(app: ApiApp): void {
  app.openapi(route, async (c) =>
    c.json(await listMembers(c.var.db, c.var.actor, c.req.valid("param").id), 200),
  );
}
