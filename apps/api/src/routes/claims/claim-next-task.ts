import { createRoute } from "@hono/zod-openapi";
import { ClaimNext, ClaimNextAnswer } from "@taskflow/contracts";
import { claimNextTask } from "@taskflow/core";
import type { ApiApp } from "../../app-env.ts";
import { authenticated, jsonResponse, optionalJsonBody, problems } from "../../openapi/route-helpers.ts";
import type { ClaimSettings } from "./claim-settings.ts";

const route = createRoute({
  method: "post",
  path: "/api/tasks/claim-next",
  tags: ["Claims"],
  summary: "Claim the next task you can take (highest priority, then earliest due)",
  description:
    "Pending, unclaimed, unassigned or assigned to you, dependencies completed, and (for agents) every " +
    "required capability among yours. Racing claimers each get a different task.",
  security: authenticated,
  request: { body: optionalJsonBody(ClaimNext) },
  responses: {
    200: jsonResponse(ClaimNextAnswer, "The claimed task, or null"),
    ...problems(400, 401, 403, 404),
  },
});

export function registerClaimNextTask(app: ApiApp, settings: ClaimSettings): void {
  app.openapi(route, async (c) => {
    const task = await claimNextTask(c.var.db, c.var.actor, c.req.valid("json"), {
      leaseSeconds: settings.leaseSeconds,
    });
    return c.json({ task }, 200);
  });
}
