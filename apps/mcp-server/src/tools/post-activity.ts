import { ActivityCreate, RunWithActivity } from "@taskflow/contracts";
import { authorizeRun, postActivity, resolveAgentRun } from "@taskflow/core";
import { z } from "zod";
import { choices, given, markdown, parseAs, runId, runTaskId, selected } from "./run-fields.ts";
import { defineTool } from "./tool-kit.ts";

export const postActivityTool = defineTool({
  name: "taskflow_post_activity",
  action: "task.work",
  title: "Post to your run",
  description:
    "Show people what you are doing on a task, as it happens: a `thought` (short reasoning; `ephemeral` for a " +
    "passing one), an `action` (the `tool` you used, its `parameters` and `result`), a `response` (your answer " +
    "or outcome: it completes the run; with signal `stop` it acknowledges a stop a person asked for), or an " +
    "`error` (something failed). To ask a person something and wait for the answer use taskflow_ask_and_wait. " +
    "People (with an OAuth token) post a `prompt` to an agent's run: a message, an answer to its question " +
    "(`answers`, `selected`), or signal `stop`. Raw HTML is kept as text; control characters are refused.",
  input: z.object({
    runId,
    taskId: runTaskId,
    type: z.enum(["thought", "action", "response", "error", "elicitation", "prompt"]).describe("What it is"),
    body: markdown("What you say").optional(),
    ephemeral: z.boolean().optional().describe("thought: shown only until your next activity"),
    tool: z.string().max(128).optional().describe("action: the tool you used"),
    parameters: z.record(z.string(), z.unknown()).optional().describe("action: what you called it with"),
    result: markdown("action: what it returned").optional(),
    signal: z
      .enum(["stop"])
      .optional()
      .describe("response: you stopped as asked; prompt: ask the agent to stop"),
    choices: choices.optional(),
    multiple: z.boolean().optional().describe("elicitation: several choices may be picked"),
    askedOfId: z.uuid().optional().describe("elicitation: the person asked (else the project's reviewers)"),
    answers: z.uuid().optional().describe("prompt: the question (elicitation id) it answers"),
    selected: selected.optional().describe("prompt: the choices picked"),
  }),
  output: RunWithActivity,
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false },
  run: async ({ db, actor }, { runId: id, taskId, ...fields }) => {
    // A run the caller cannot work on is refused (not found when it cannot see it), whatever else the call
    // says, by the permission the effect needs (task.work), as the REST route decides: never by `read`, which
    // a write-only token or key lacks (the effect matrix found the two doors deciding differently).
    if (id) await authorizeRun(db, actor, id, "task.work");
    const activity = parseAs(ActivityCreate, given(fields));
    const run = await resolveAgentRun(db, actor, { runId: id, taskId });
    return postActivity(db, actor, run, activity);
  },
  summarize: ({ run, activity }) => `Posted ${activity.type} #${activity.seq}; the run is ${run.state}.`,
});
