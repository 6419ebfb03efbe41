import { AgentRun, RunActivity } from "@taskflow/contracts";
import { readNewPrompts, resolveAgentRun } from "@taskflow/core";
import { z } from "zod";
import { runId } from "./run-fields.ts";
import { defineTool } from "./tool-kit.ts";

export const readPromptsTool = defineTool({
  name: "taskflow_read_prompts",
  // Reading marks the prompts read (the agent's place in its run): part of working the run, as posting is.
  action: "task.work",
  title: "Read new prompts",
  description:
    "What people told you on your run since you last read: messages, answers to your questions, and a `stop` " +
    "(then finish safely and post a response with signal `stop`, or call taskflow_acknowledge_stop if you hold " +
    "the task). Marks them read, so the next call returns only newer ones. taskflow_heartbeat also tells you of " +
    "unread prompts; a dispatch to your endpoint or GET /api/runs/{id}/events tells you at once.",
  input: z.object({
    runId,
    taskId: z.uuid().optional().describe("The task: your latest run on it"),
    after: z
      .number()
      .int()
      .min(0)
      .optional()
      .describe("Read prompts after this sequence number instead of after the last one you read"),
  }),
  output: z.object({ run: AgentRun, prompts: z.array(RunActivity) }),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true },
  run: async ({ db, actor }, { runId: id, taskId, after }) => {
    const run = await resolveAgentRun(db, actor, { runId: id, taskId }, "read");
    return readNewPrompts(db, actor, run, { after });
  },
  summarize: ({ run, prompts }) => {
    if (prompts.length === 0) return `No new prompts; the run is ${run.state}.`;
    const lines = prompts.map((p) =>
      p.signal === "stop"
        ? `#${p.seq} STOP${p.body ? `: ${p.body}` : ""}`
        : p.answer
          ? `#${p.seq} answer${p.answer.selected ? ` [${p.answer.selected.join(", ")}]` : ""}: ${p.body}`
          : `#${p.seq}: ${p.body}`,
    );
    return [`${prompts.length} new prompt(s) on run ${run.id} (${run.state}):`, ...lines].join("\n");
  },
});
