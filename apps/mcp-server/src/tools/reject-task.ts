import { Task } from "@taskflow/contracts";
import { rejectTask } from "@taskflow/core";
import { z } from "zod";
import { expectedVersion, taskId } from "./fields.ts";
import { taskLine } from "./task-summary.ts";
import { defineTool } from "./tool-kit.ts";

export const rejectTaskTool = defineTool({
  name: "taskflow_reject_task",
  action: "task.review",
  title: "Reject a task in review",
  description:
    "For reviewers: send a task in review back to in_progress with what to change. An agent assignee gets it back " +
    "with a fresh claim.",
  input: z.object({
    taskId,
    reason: z.string().trim().min(1).max(5000).describe("What to change"),
    expectedVersion,
  }),
  output: Task,
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false },
  run: ({ db, actor, leaseSeconds }, { taskId: id, reason, expectedVersion: version }) =>
    rejectTask(db, actor, id, { reason }, { expectedVersion: version, leaseSeconds }),
  summarize: (task) => `Rejected: ${taskLine(task)}`,
});
