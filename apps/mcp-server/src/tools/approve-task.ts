import { Task } from "@taskflow/contracts";
import { approveTask } from "@taskflow/core";
import { z } from "zod";
import { expectedVersion, note, taskId } from "./fields.ts";
import { taskLine } from "./task-summary.ts";
import { defineTool } from "./tool-kit.ts";

export const approveTaskTool = defineTool({
  name: "taskflow_approve_task",
  action: "task.review",
  title: "Approve a task in review",
  description:
    "For reviewers (project admins and owners): accept the work of a task in review; it becomes completed.",
  input: z.object({ taskId, note, expectedVersion }),
  output: Task,
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false },
  run: ({ db, actor }, { taskId: id, note: text, expectedVersion: version }) =>
    approveTask(db, actor, id, text ? { note: text } : {}, version ? { expectedVersion: version } : {}),
  summarize: (task) => `Approved ${taskLine(task)}`,
});
