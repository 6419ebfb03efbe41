import { createRoute } from "@hono/zod-openapi";
import { removeMember } from "@taskflow/core";
import type { ApiApp } from "../../app-env.ts";
import { authenticated, noContent, problems } from "../../openapi/route-helpers.ts";
import { MemberParams } from "./member-params.ts";

const route = createRoute({
  method: "delete",
  path: "/api/projects/{id}/members/{workerId}",
  tags: ["Members"],
  summary:
    "Remove a member (admins; owners to remove an owner), or leave (your own worker id); the last owner cannot. Their open tasks in the project are unassigned",
  security: authenticated,
  request: { params: MemberParams },
  responses: { 204: noContent, ...problems(400, 401, 403, 404, 409) },
});

export function registerRemoveMember(app: ApiApp): void {
  app.openapi(route, async (c) => {
    const { id, workerId } = c.req.valid("param");
    await removeMember(c.var.db, c.var.actor, id, workerId);
    return c.body(null, 204);
  });
}
