import { Task, TaskPriority } from "@taskflow/contracts";
import { updateTask } from "@taskflow/core";
import { z } from "zod";
import { expectedVersion, taskId } from "./fields.ts";
import { taskLine } from "./task-summary.ts";
import { defineTool } from "./tool-kit.ts";

export const updateTaskTool = defineTool({
  name: "taskflow_update_task",
  title: "Edit a task",
  description: "Change a task's title, description, priority, tags or due date. Give only what changes.",
  input: z.object({
    taskId,
    title: z.string().trim().min(1).max(500).optional(),
    description: z.string().max(20_000).optional(),
    priority: TaskPriority.optional(),
    tags: z.array(z.string().trim().min(1).max(50)).max(20).optional(),
    dueAt: z.iso.datetime({ offset: true }).nullable().optional().describe("null clears the due date"),
    expectedVersion,
  }),
  output: Task,
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true },
  run: ({ db, actor }, { taskId: id, expectedVersion: version, ...changes }) =>
    updateTask(db, actor, id, changes, version ? { expectedVersion: version } : {}),
  summarize: (task) => `Updated ${taskLine(task)}`,
});
