import { createRoute } from "@hono/zod-openapi";
import { deleteAgentEndpoint } from "@taskflow/core";
import type { ApiApp } from "../../app-env.ts";
import { authenticated, IdParam, noContent, problems } from "../../openapi/route-helpers.ts";
import { endpointNotes } from "./agent-endpoint-notes.ts";

const route = createRoute({
  method: "delete",
  path: "/api/agents/{id}/endpoint",
  tags: ["Dispatch"],
  summary: "Stop dispatching to the agent; queued deliveries fail",
  description: endpointNotes,
  security: authenticated,
  request: { params: IdParam },
  responses: { 204: noContent, ...problems(400, 401, 403, 404) },
});

export function registerDeleteAgentEndpoint(app: ApiApp): void {
  app.openapi(route, async (c) => {
    await deleteAgentEndpoint(c.var.db, c.var.actor, c.req.valid("param").id);
    return c.body(null, 204);
  });
}
