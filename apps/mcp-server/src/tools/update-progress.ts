import { Task } from "@taskflow/contracts";
import { updateTaskProgress } from "@taskflow/core";
import { z } from "zod";
import { expectedVersion, note, taskId } from "./fields.ts";
import { taskLine } from "./task-summary.ts";
import { defineTool } from "./tool-kit.ts";

export const updateProgressTool = defineTool({
  name: "taskflow_update_progress",
  action: "task.work",
  title: "Report progress",
  description: "Set a task's progress (0–100) with an optional note, kept as a progress report on the task.",
  input: z.object({
    taskId,
    progress: z.number().int().min(0).max(100).describe("Percent done"),
    note,
    expectedVersion,
  }),
  output: Task,
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true },
  run: ({ db, actor }, { taskId: id, progress, note: text, expectedVersion: version }) =>
    updateTaskProgress(
      db,
      actor,
      id,
      { progress, ...(text ? { note: text } : {}) },
      version ? { expectedVersion: version } : {},
    ),
  summarize: (task) => taskLine(task),
});
