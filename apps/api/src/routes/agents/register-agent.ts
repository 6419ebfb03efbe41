import { createRoute } from "@hono/zod-openapi";
import { AgentRegistration, RegisteredAgent } from "@taskflow/contracts";
import { registerAgent } from "@taskflow/core";
import type { ApiApp } from "../../app-env.ts";
import { authenticated, jsonBody, jsonResponse, problems } from "../../openapi/route-helpers.ts";

const route = createRoute({
  method: "post",
  path: "/api/agents",
  tags: ["Agents"],
  summary: "Register an agent in the organization, with its first API key (organization owners and admins)",
  description:
    "The API key in the answer is shown this once; only its hash is stored. It expires after `expiresInDays` (default 90); rotate it with `POST /api/agents/{id}/keys`. " +
    "`scopes` binds it to projects and actions (default: every project the agent is a member of; read, " +
    "write_tasks, claim, comment). A key used outside its scope gets 403, and the use is audited.",
  security: authenticated,
  request: { body: jsonBody(AgentRegistration) },
  responses: {
    201: jsonResponse(RegisteredAgent, "The agent and its API key"),
    ...problems(400, 401, 403, 409, 422),
  },
});

export function registerRegisterAgent(app: ApiApp): void {
  app.openapi(route, async (c) =>
    c.json(await registerAgent(c.var.db, c.var.actor, c.req.valid("json")), 201),
  );
}
