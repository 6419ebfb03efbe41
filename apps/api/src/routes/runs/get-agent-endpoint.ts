import { createRoute } from "@hono/zod-openapi";
import { AgentEndpoint } from "@taskflow/contracts";
import { getAgentEndpoint } from "@taskflow/core";
import type { ApiApp } from "../../app-env.ts";
import { authenticated, IdParam, jsonResponse, problems } from "../../openapi/route-helpers.ts";
import { endpointNotes } from "./agent-endpoint-notes.ts";

const route = createRoute({
  method: "get",
  path: "/api/agents/{id}/endpoint",
  tags: ["Dispatch"],
  summary: "Where the agent's dispatches go (never the secret); 404 when it has none",
  description: endpointNotes,
  security: authenticated,
  request: { params: IdParam },
  responses: {
    200: jsonResponse(AgentEndpoint, "The endpoint"),
    ...problems(400, 401, 403, 404),
  },
});

export function registerGetAgentEndpoint(app: ApiApp): void {
  app.openapi(route, async (c) =>
    c.json(await getAgentEndpoint(c.var.db, c.var.actor, c.req.valid("param").id), 200),
  );
}
