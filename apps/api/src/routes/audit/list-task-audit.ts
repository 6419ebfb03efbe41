import { createRoute } from "@hono/zod-openapi";
import { AuditPage, AuditQuery } from "@taskflow/contracts";
import { listTaskAudit } from "@taskflow/core";
import type { ApiApp } from "../../app-env.ts";
import { authenticated, IdParam, jsonResponse, problems } from "../../openapi/route-helpers.ts";

const route = createRoute({
  method: "get",
  path: "/api/tasks/{id}/audit",
  tags: ["Audit"],
  summary: "A task's audit trail (its changes and comments), newest first",
  description: "Append-only: no route changes or deletes it. Page with `cursor` from `nextCursor`.",
  security: authenticated,
  request: { params: IdParam, query: AuditQuery },
  responses: {
    200: jsonResponse(AuditPage, "One page of audit entries"),
    ...problems(400, 401, 403, 404, 422),
  },
});

export function registerListTaskAudit(app: ApiApp): void {
  app.openapi(route, async (c) =>
    c.json(await listTaskAudit(c.var.db, c.var.actor, c.req.valid("param").id, c.req.valid("query")), 200),
  );
}
