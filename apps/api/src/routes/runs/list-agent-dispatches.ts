import { createRoute, z } from "@hono/zod-openapi";
import { AgentDispatchList } from "@taskflow/contracts";
import { listAgentDispatches } from "@taskflow/core";
import type { ApiApp } from "../../app-env.ts";
import { authenticated, IdParam, jsonResponse, problems } from "../../openapi/route-helpers.ts";
import { endpointNotes } from "./agent-endpoint-notes.ts";

const route = createRoute({
  method: "get",
  path: "/api/agents/{id}/dispatches",
  tags: ["Dispatch"],
  summary: "The agent's dispatch log, newest first: what was sent, and how each attempt went",
  description: endpointNotes,
  security: authenticated,
  request: {
    params: IdParam,
    query: z.strictObject({ limit: z.coerce.number().int().min(1).max(100).default(50) }),
  },
  responses: {
    200: jsonResponse(AgentDispatchList, "The latest dispatches"),
    ...problems(400, 401, 403, 404),
  },
});

export function registerListAgentDispatches(app: ApiApp): void {
  app.openapi(route, async (c) => {
    const items = await listAgentDispatches(
      c.var.db,
      c.var.actor,
      c.req.valid("param").id,
      c.req.valid("query").limit,
    );
    return c.json({ items }, 200);
  });
}
