import { HeartbeatAnswer } from "@taskflow/contracts";
import { heartbeatTask } from "@taskflow/core";
import { z } from "zod";
import { note, taskId } from "./fields.ts";
import { defineTool } from "./tool-kit.ts";

export const heartbeatTool = defineTool({
  name: "taskflow_heartbeat",
  action: "task.work",
  title: "Heartbeat",
  description:
    "Tell TaskFlow you are still working on a task you claimed: renews the lease, optionally reports progress. " +
    "If the answer's action is `stop`, a person asked you to stop: finish safely and call taskflow_acknowledge_stop. " +
    "Once you hand the work in (review, completed) your claim has ended: stop heartbeating that task.",
  input: z.object({
    taskId,
    progress: z
      .number()
      .int()
      .min(0)
      .max(100)
      .optional()
      .describe("How far along you are, in percent (recorded if it changed)"),
    note,
  }),
  output: HeartbeatAnswer,
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true },
  run: ({ db, actor }, { taskId: id, progress, note: text }) =>
    heartbeatTask(db, actor, id, { progress, note: text }),
  summarize: (answer) =>
    answer.action === "stop"
      ? `STOP: a person asked you to stop this task${answer.task.stop?.reason ? ` (${answer.task.stop.reason})` : ""}. Call taskflow_acknowledge_stop.`
      : `Lease renewed until ${answer.leaseExpiresAt}. Carry on.`,
});
