import { createRoute } from "@hono/zod-openapi";
import { TaskChain } from "@taskflow/contracts";
import { getTaskChain } from "@taskflow/core";
import type { ApiApp } from "../../app-env.ts";
import { authenticated, IdParam, jsonResponse, problems } from "../../openapi/route-helpers.ts";

const route = createRoute({
  method: "get",
  path: "/api/tasks/{id}/chain",
  tags: ["Tasks"],
  summary: "The delegation chain of a task: its ancestors from the root down to the task",
  description:
    "Each link shows its assignee and `delegatedById`, the agent that delegated it. Agents may delegate " +
    "at most `DELEGATION_MAX_DEPTH` links deep (default 5).",
  security: authenticated,
  request: { params: IdParam },
  responses: {
    200: jsonResponse(TaskChain, "The chain, root first"),
    ...problems(400, 401, 403, 404),
  },
});

export function registerGetTaskChain(app: ApiApp): void {
  app.openapi(route, async (c) =>
    c.json({ chain: await getTaskChain(c.var.db, c.var.actor, c.req.valid("param").id) }, 200),
  );
}
