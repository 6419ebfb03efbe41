import { createRoute } from "@hono/zod-openapi";
import { StopRequest, Task } from "@taskflow/contracts";
import { requestStop } from "@taskflow/core";
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
  path: "/api/tasks/{id}/stop",
  tags: ["Claims"],
  summary: "Ask whoever holds the task to stop (people only); they see it in their next heartbeat",
  security: authenticated,
  request: { params: IdParam, body: optionalJsonBody(StopRequest) },
  responses: {
    200: jsonResponse(Task, "The task with the stop request"),
    ...problems(400, 401, 403, 404, 409),
  },
});

export function registerRequestStop(app: ApiApp): void {
  app.openapi(route, async (c) =>
    c.json(await requestStop(c.var.db, c.var.actor, c.req.valid("param").id, c.req.valid("json")), 200),
  );
}
