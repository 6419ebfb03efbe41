import { createRoute } from "@hono/zod-openapi";
import { ActivityCreate, activityBodyMax, RunWithActivity } from "@taskflow/contracts";
import { postActivity } from "@taskflow/core";
import type { ApiApp } from "../../app-env.ts";
import { authenticated, IdParam, jsonBody, jsonResponse, problems } from "../../openapi/route-helpers.ts";

const route = createRoute({
  method: "post",
  path: "/api/runs/{id}/activities",
  tags: ["Runs"],
  summary:
    "Add an activity: a person's prompt, or the run's agent's thought, action, response, question or error",
  description: [
    "Append-only, each audited (`run.<type>`). The run's state follows from it: a prompt makes it `pending` " +
      "(and opens an ended run again), a thought or action `active`, an elicitation `awaiting_input`, an error " +
      "`error`, a response `completed` (`stopped` with `signal: stop`).",
    "**Prompts** come from people who may work on the task (members and up): a message, an answer to a question " +
      "(`answers` and, for a question with choices, `selected`), or `signal: stop` (also sets the task's stop " +
      "request when the agent holds it, as `POST /api/tasks/{id}/stop`). Each is dispatched to the agent's endpoint.",
    "**Everything else** comes from the run's own agent only (403 for anyone else), while the run has not ended " +
      "(409). A response with `signal: stop` acknowledges a waiting stop (409 when none waits).",
    `Bodies are Markdown of at most ${activityBodyMax} characters, stored as text and never rendered as HTML; ` +
      "control characters (but tab and line breaks), bidirectional overrides and lone surrogates are refused, " +
      "naming the field (400).",
  ].join("\n\n"),
  security: authenticated,
  request: { params: IdParam, body: jsonBody(ActivityCreate) },
  responses: {
    201: jsonResponse(RunWithActivity, "The new activity and the run after it"),
    ...problems(400, 401, 403, 404, 409, 422),
  },
});

export function registerCreateActivity(app: ApiApp): void {
  app.openapi(route, async (c) =>
    c.json(await postActivity(c.var.db, c.var.actor, c.req.valid("param").id, c.req.valid("json")), 201),
  );
}
