import { Task } from "@taskflow/contracts";
import { acknowledgeStop } from "@taskflow/core";
import { z } from "zod";
import { note, taskId } from "./fields.ts";
import { taskLine } from "./task-summary.ts";
import { defineTool } from "./tool-kit.ts";

export const acknowledgeStopTool = defineTool({
  name: "taskflow_acknowledge_stop",
  action: "task.work",
  title: "Acknowledge a stop",
  description:
    "Confirm you stopped working on a task a person asked you to stop: your claim ends and the task waits for them.",
  input: z.object({ taskId, note }),
  output: Task,
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false },
  run: ({ db, actor }, { taskId: id, note: text }) => acknowledgeStop(db, actor, id, { note: text }),
  summarize: (task) => `Stopped: ${taskLine(task)}`,
});
