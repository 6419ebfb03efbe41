import { Recurrence, Task, TaskPriority } from "@taskflow/contracts";
import { createTask } from "@taskflow/core";
import { z } from "zod";
import { projectId } from "./fields.ts";
import { taskLine } from "./task-summary.ts";
import { defineTool } from "./tool-kit.ts";

export const addTaskTool = defineTool({
  name: "taskflow_add_task",
  title: "Add a task",
  description:
    "Create a task in a project. Assign it to a project member by worker id (taskflow_find_workers).",
  input: z.object({
    projectId,
    title: z.string().trim().min(1).max(500),
    description: z.string().max(20_000).default(""),
    priority: TaskPriority.default("medium"),
    tags: z.array(z.string().trim().min(1).max(50)).max(20).default([]),
    dueAt: z.iso
      .datetime({ offset: true })
      .optional()
      .describe("ISO 8601 with offset, e.g. 2026-12-01T17:00:00Z"),
    assigneeId: z.uuid().optional().describe("A member's worker id"),
    recurrence: Recurrence.optional(),
    requiredCapabilities: z
      .array(z.string().min(1).max(50))
      .max(20)
      .default([])
      .describe('Capabilities an agent needs to claim it, e.g. ["python"]'),
  }),
  output: Task,
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false },
  run: ({ db, actor }, { projectId: id, ...input }) => createTask(db, actor, id, input),
  summarize: (task) => `Created ${taskLine(task)}`,
});
