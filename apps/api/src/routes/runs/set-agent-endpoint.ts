import { createRoute } from "@hono/zod-openapi";
import { AgentEndpoint, AgentEndpointSet, AgentEndpointWithSecret } from "@taskflow/contracts";
import { setAgentEndpoint } from "@taskflow/core";
import type { ApiApp } from "../../app-env.ts";
import { authenticated, IdParam, jsonBody, jsonResponse, problems } from "../../openapi/route-helpers.ts";
import { endpointNotes } from "./agent-endpoint-notes.ts";

const route = createRoute({
  method: "put",
  path: "/api/agents/{id}/endpoint",
  tags: ["Dispatch"],
  summary:
    "Register (or move) where the agent's dispatches go; a new endpoint's secret is returned this once",
  description: endpointNotes,
  security: authenticated,
  request: { params: IdParam, body: jsonBody(AgentEndpointSet) },
  responses: {
    201: jsonResponse(AgentEndpointWithSecret, "The new endpoint, with its signing secret (shown only now)"),
    200: jsonResponse(AgentEndpoint, "The endpoint moved; its secret is unchanged"),
    ...problems(400, 401, 403, 404, 422),
  },
});

export function registerSetAgentEndpoint(app: ApiApp): void {
  app.openapi(route, async (c) => {
    const { endpoint, created } = await setAgentEndpoint(
      c.var.db,
      c.var.actor,
      c.req.valid("param").id,
      c.req.valid("json"),
      c.var.webhookTargets,
    );
    return created ? c.json(endpoint as AgentEndpointWithSecret, 201) : c.json(endpoint, 200);
  });
}
