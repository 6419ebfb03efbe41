import { createRoute } from "@hono/zod-openapi";
import { StopAcknowledgement, Task } from "@taskflow/contracts";
import { acknowledgeStop } from "@taskflow/core";
import type { ApiApp } from "../../app-env.ts";
import {
  authenticated,
  IdParam,
  jsonResponse,
  optionalJsonBody,
  problems,
} from "../../openapi/route-helpers.ts";

const route = createRoute({
  method: "post",
  path: "/api/tasks/{id}/stop/acknowledge",
  tags: ["Claims"],
  summary: "Confirm you stopped (the holder): the claim ends, the task is pending again",
  security: authenticated,
  request: { params: IdParam, body: optionalJsonBody(StopAcknowledgement) },
  responses: { 200: jsonResponse(Task, "The task, released"), ...problems(400, 401, 403, 404, 409) },
});

export function registerAcknowledgeStop(app: ApiApp): void {
  app.openapi(route, async (c) =>
    c.json(await acknowledgeStop(c.var.db, c.var.actor, c.req.valid("param").id, c.req.valid("json")), 200),
  );
}
