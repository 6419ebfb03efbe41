import { createRoute } from "@hono/zod-openapi";
import { CommentListQuery, CommentPage } from "@taskflow/contracts";
import { listComments } from "@taskflow/core";
import type { ApiApp } from "../../app-env.ts";
import { authenticated, IdParam, jsonResponse, problems } from "../../openapi/route-helpers.ts";

const route = createRoute({
  method: "get",
  path: "/api/tasks/{id}/comments",
  tags: ["Comments"],
  summary: "A task's comments and progress notes, oldest first",
  description: "Page with `cursor` from `nextCursor`.",
  security: authenticated,
  request: { params: IdParam, query: CommentListQuery },
  responses: {
    200: jsonResponse(CommentPage, "One page of comments"),
    ...problems(400, 401, 404, 422),
  },
});

export function registerListComments(app: ApiApp): void {
  app.openapi(route, async (c) =>
    c.json(await listComments(c.var.db, c.var.actor, c.req.valid("param").id, c.req.valid("query")), 200),
  );
}
