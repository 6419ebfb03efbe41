import { Task } from "@taskflow/contracts";
import { updateTask } from "@taskflow/core";
import { z } from "zod";
import {
  dueAt,
  expectedVersion,
  taskDescription,
  taskId,
  taskPriority,
  taskTags,
  taskTitle,
} from "./fields.ts";
import { taskLine } from "./task-summary.ts";
import { defineTool } from "./tool-kit.ts";

export const updateTaskTool = defineTool({
  name: "taskflow_update_task",
  action: "task.work",
  title: "Edit a task",
  description: "Change a task's title, description, priority, tags or due date. Give only what changes.",
  input: z.object({
    taskId,
    title: taskTitle.optional(),
    description: taskDescription.optional(),
    priority: taskPriority.optional(),
    tags: taskTags.optional().describe("The new tags, replacing the old ones"),
    dueAt: dueAt
      .nullable()
      .optional()
      .describe("When it is due (ISO 8601 with offset); null clears the due date"),
    expectedVersion,
  }),
  output: Task,
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true },
  run: ({ db, actor }, { taskId: id, expectedVersion: version, ...changes }) =>
    updateTask(db, actor, id, changes, version ? { expectedVersion: version } : {}),
  summarize: (task) => `Updated ${taskLine(task)}`,
});
