import { Task } from "@taskflow/contracts";
import { claimNextTask, claimTask } from "@taskflow/core";
import { z } from "zod";
import { taskLine } from "./task-summary.ts";
import { defineTool } from "./tool-kit.ts";

export const claimTaskTool = defineTool({
  name: "taskflow_claim_task",
  action: "task.work",
  title: "Claim a task",
  description:
    "Take a task so nobody else works on it: give `taskId` for a specific one, or leave it out to get the next task " +
    "you can take (highest priority, then earliest due; optionally within `projectId`). The claim lasts a lease: " +
    "call taskflow_heartbeat while you work, or it returns to the pool.",
  input: z.object({
    taskId: z.uuid().optional().describe("A specific task; leave out to claim the next one"),
    projectId: z.uuid().optional().describe("With no taskId: only look in this project"),
  }),
  output: z.object({ task: Task.nullable() }),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false },
  run: async ({ db, actor, leaseSeconds }, { taskId, projectId }) => {
    const options = leaseSeconds ? { leaseSeconds } : {};
    if (taskId) return { task: await claimTask(db, actor, taskId, options) };
    return { task: await claimNextTask(db, actor, { projectId }, options) };
  },
  summarize: ({ task }) =>
    task
      ? `Claimed ${taskLine(task)}; lease until ${task.claim?.leaseExpiresAt}. Heartbeat before then.`
      : "Nothing to claim right now: no pending task you can take.",
});
