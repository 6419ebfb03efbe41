import { createRoute } from "@hono/zod-openapi";
import { HeartbeatAnswer, HeartbeatInput } from "@taskflow/contracts";
import { heartbeatTask } from "@taskflow/core";
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
  path: "/api/tasks/{id}/heartbeat",
  tags: ["Claims"],
  summary: "Renew your claim's lease (optionally with progress); the answer says stop if a person asked",
  description:
    "Only the holder of a live claim can renew it. 409 otherwise, saying why: `handedIn: true` when the task " +
    "is in review or completed (handing the work in ended the claim: stop heartbeating), `leaseExpired: true` " +
    "when the lease lapsed (claim again if the task is still open), or another worker holds it.",
  security: authenticated,
  request: { params: IdParam, body: optionalJsonBody(HeartbeatInput) },
  responses: {
    200: jsonResponse(HeartbeatAnswer, "The renewed lease and what to do next"),
    ...problems(400, 401, 403, 404, 409),
  },
});

export function registerHeartbeatTask(app: ApiApp): void {
  app.openapi(route, async (c) =>
    c.json(await heartbeatTask(c.var.db, c.var.actor, c.req.valid("param").id, c.req.valid("json")), 200),
  );
}
