import { Task, TaskPriority } from "@taskflow/contracts";
import { createSubtask } from "@taskflow/core";
import { z } from "zod";
import { taskLine } from "./task-summary.ts";
import { defineTool } from "./tool-kit.ts";

export const addSubtaskTool = defineTool({
  name: "taskflow_add_subtask",
  title: "Add a subtask (delegate)",
  description:
    "Split work off a task you hold: create a subtask, optionally assigned to another worker (a project member), " +
    "who then owns it. Say exactly what done looks like in the description.",
  input: z.object({
    parentId: z.uuid().describe("The task this is part of"),
    title: z.string().trim().min(1).max(500),
    description: z.string().max(20_000).default(""),
    assigneeId: z.uuid().optional().describe("The worker you delegate to (taskflow_find_workers)"),
    priority: TaskPriority.default("medium"),
    tags: z.array(z.string().trim().min(1).max(50)).max(20).default([]),
    dueAt: z.iso.datetime({ offset: true }).optional(),
  }),
  output: Task,
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false },
  run: ({ db, actor }, { parentId, ...input }) => createSubtask(db, actor, parentId, input),
  summarize: (task) => `Created subtask ${taskLine(task)}`,
});
