import { Task } from "@taskflow/contracts";
import { releaseTask } from "@taskflow/core";
import { z } from "zod";
import { taskId } from "./fields.ts";
import { taskLine } from "./task-summary.ts";
import { defineTool } from "./tool-kit.ts";

export const releaseTaskTool = defineTool({
  name: "taskflow_release_task",
  action: "task.work",
  title: "Release a task",
  description:
    "Give a task you claimed back to the pool (pending, unassigned) when you cannot finish it. Say why in a comment first.",
  input: z.object({ taskId }),
  output: Task,
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false },
  run: ({ db, actor }, { taskId: id }) => releaseTask(db, actor, id),
  summarize: (task) => `Released: ${taskLine(task)}`,
});
