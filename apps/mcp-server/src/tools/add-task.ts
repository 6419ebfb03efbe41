import { Task } from "@taskflow/contracts";
import { createTask } from "@taskflow/core";
import { z } from "zod";
import {
  dueAt,
  projectId,
  recurrence,
  taskDescription,
  taskPriority,
  taskTags,
  taskTitle,
} from "./fields.ts";
import { taskLine } from "./task-summary.ts";
import { defineTool } from "./tool-kit.ts";

export const addTaskTool = defineTool({
  name: "taskflow_add_task",
  action: "task.create",
  title: "Add a task",
  description:
    "Create a task in a project. Assign it to a project member by worker id (taskflow_find_workers).",
  input: z.object({
    projectId,
    title: taskTitle,
    description: taskDescription.default(""),
    priority: taskPriority.default("medium"),
    tags: taskTags.default([]),
    dueAt: dueAt.optional(),
    assigneeId: z.uuid().optional().describe("A member's worker id"),
    recurrence: recurrence.optional(),
    requiredCapabilities: z
      .array(z.string().min(1).max(50))
      .max(20)
      .default([])
      .describe('Capabilities an agent needs to claim it, e.g. ["python"]'),
  }),
  output: Task,
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false },
  run: ({ db, actor, delegationMaxDepth }, { projectId: id, ...input }) =>
    createTask(db, actor, id, input, { delegationMaxDepth }),
  summarize: (task) => `Created ${taskLine(task)}`,
});
