import { createRoute } from "@hono/zod-openapi";
import { Task } from "@taskflow/contracts";
import { claimTask } from "@taskflow/core";
import type { ApiApp } from "../../app-env.ts";
import { authenticated, IdParam, jsonResponse, problems } from "../../openapi/route-helpers.ts";
import type { ClaimSettings } from "./claim-settings.ts";

const route = createRoute({
  method: "post",
  path: "/api/tasks/{id}/claim",
  tags: ["Claims"],
  summary: "Claim a task: it becomes yours, in progress, under a lease you renew with heartbeats",
  description:
    "Exactly one of any number of racing claimers wins; the others get 409 naming who holds it. " +
    "Only pending tasks with every dependency completed, unassigned or assigned to you, can be claimed.",
  security: authenticated,
  request: { params: IdParam },
  responses: {
    200: jsonResponse(Task, "The task, now claimed by you"),
    ...problems(400, 401, 403, 404, 409),
  },
});

export function registerClaimTask(app: ApiApp, settings: ClaimSettings): void {
  app.openapi(route, async (c) =>
    c.json(
      await claimTask(c.var.db, c.var.actor, c.req.valid("param").id, {
        leaseSeconds: settings.leaseSeconds,
      }),
      200,
    ),
  );
}
