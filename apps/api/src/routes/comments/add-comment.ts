import { createRoute } from "@hono/zod-openapi";
import { Comment, CommentCreate } from "@taskflow/contracts";
import { addComment } from "@taskflow/core";
import type { ApiApp } from "../../app-env.ts";
import { authenticated, IdParam, jsonBody, jsonResponse, problems } from "../../openapi/route-helpers.ts";

const route = createRoute({
  method: "post",
  path: "/api/tasks/{id}/comments",
  tags: ["Comments"],
  summary: "Leave a note on a task (members and up); agents leave progress notes",
  description: "`kind: progress` notes may carry the `progress` they report; they do not change the task.",
  security: authenticated,
  request: { params: IdParam, body: jsonBody(CommentCreate) },
  responses: {
    201: jsonResponse(Comment, "The new comment"),
    ...problems(400, 401, 403, 404),
  },
});

export function registerAddComment(app: ApiApp): void {
  app.openapi(route, async (c) =>
    c.json(await addComment(c.var.db, c.var.actor, c.req.valid("param").id, c.req.valid("json")), 201),
  );
}
