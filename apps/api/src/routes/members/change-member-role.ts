import { createRoute } from "@hono/zod-openapi";
import { Member, MemberUpdate } from "@taskflow/contracts";
import { changeMemberRole } from "@taskflow/core";
import type { ApiApp } from "../../app-env.ts";
import { authenticated, jsonBody, jsonResponse, problems } from "../../openapi/route-helpers.ts";
import { MemberParams } from "./member-params.ts";

const route = createRoute({
  method: "patch",
  path: "/api/projects/{id}/members/{workerId}",
  tags: ["Members"],
  summary: "Change a member's role (admins; owners to grant or take away owner; the last owner stays)",
  security: authenticated,
  request: { params: MemberParams, body: jsonBody(MemberUpdate) },
  responses: {
    200: jsonResponse(Member, "The member with the new role"),
    ...problems(400, 401, 403, 404, 409),
  },
});

export function registerChangeMemberRole(app: ApiApp): void {
  app.openapi(route, async (c) => {
    const { id, workerId } = c.req.valid("param");
    return c.json(await changeMemberRole(c.var.db, c.var.actor, id, workerId, c.req.valid("json")), 200);
  });
}
