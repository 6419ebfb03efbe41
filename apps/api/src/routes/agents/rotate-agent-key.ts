import { createRoute } from "@hono/zod-openapi";
import { AgentKeyIssue, IssuedAgentKey } from "@taskflow/contracts";
import { rotateAgentKey } from "@taskflow/core";
import type { ApiApp } from "../../app-env.ts";
import { authenticated, IdParam, jsonResponse, problems } from "../../openapi/route-helpers.ts";

const route = createRoute({
  method: "post",
  path: "/api/agents/{id}/keys",
  tags: ["Agents"],
  summary: "Rotate an agent's API key: issue a new one, revoke all others (organization owners and admins)",
  description:
    "The new key is shown this once. The body is optional: `scopes` binds the key to projects and " +
    "actions (default: every project the agent is a member of; read, write_tasks, claim, comment), " +
    "`expiresInDays` sets its lifetime (1–365, default 90).",
  security: authenticated,
  request: {
    params: IdParam,
    body: { required: false, content: { "application/json": { schema: AgentKeyIssue } } },
  },
  responses: {
    201: jsonResponse(IssuedAgentKey, "The new key"),
    ...problems(400, 401, 403, 404, 422),
  },
});

export function registerRotateAgentKey(app: ApiApp): void {
  app.openapi(route, async (c) => {
    const body: Partial<AgentKeyIssue> = c.req.valid("json");
    return c.json(
      await rotateAgentKey(c.var.db, c.var.actor, c.req.valid("param").id, {
        expiresInDays: body.expiresInDays,
        scopes: body.scopes,
      }),
      201,
    );
  });
}
