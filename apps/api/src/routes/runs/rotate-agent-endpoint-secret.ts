import { createRoute } from "@hono/zod-openapi";
import { AgentEndpointWithSecret } from "@taskflow/contracts";
import { rotateAgentEndpointSecret } from "@taskflow/core";
import type { ApiApp } from "../../app-env.ts";
import { authenticated, IdParam, jsonResponse, problems } from "../../openapi/route-helpers.ts";
import { endpointNotes } from "./agent-endpoint-notes.ts";

const route = createRoute({
  method: "post",
  path: "/api/agents/{id}/endpoint/rotate-secret",
  tags: ["Dispatch"],
  summary: "Replace the endpoint's signing secret; the new one is returned this once",
  description: `${endpointNotes} Every delivery sent from now on, retries included, carries the new secret.`,
  security: authenticated,
  request: { params: IdParam },
  responses: {
    200: jsonResponse(AgentEndpointWithSecret, "The endpoint with its new secret"),
    ...problems(400, 401, 403, 404),
  },
});

export function registerRotateAgentEndpointSecret(app: ApiApp): void {
  app.openapi(route, async (c) =>
    c.json(await rotateAgentEndpointSecret(c.var.db, c.var.actor, c.req.valid("param").id), 200),
  );
}
