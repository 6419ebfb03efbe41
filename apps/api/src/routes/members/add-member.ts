import { createRoute } from "@hono/zod-openapi";
import { Member, MemberAdd } from "@taskflow/contracts";
import { addMember } from "@taskflow/core";
import type { ApiApp } from "../../app-env.ts";
import { authenticated, IdParam, jsonBody, jsonResponse, problems } from "../../openapi/route-helpers.ts";

const route = createRoute({
  method: "post",
  path: "/api/projects/{id}/members",
  tags: ["Members"],
  summary: "Add a person or an agent of the organization to a project (admins; owners to add an owner)",
  security: authenticated,
  request: { params: IdParam, body: jsonBody(MemberAdd) },
  responses: {
    201: jsonResponse(Member, "The new member"),
    ...problems(400, 401, 403, 404, 409, 422),
  },
});

export function registerAddMember(app: ApiApp): void {
  app.openapi(route, async (c) =>
    c.json(await addMember(c.var.db, c.var.actor, c.req.valid("param").id, c.req.valid("json")), 201),
  );
}
