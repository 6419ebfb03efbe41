import { Task } from "@taskflow/contracts";
import { createSubtask } from "@taskflow/core";
import { z } from "zod";
import { dueAt, taskDescription, taskPriority, taskTags, taskTitle } from "./fields.ts";
import { taskLine } from "./task-summary.ts";
import { defineTool } from "./tool-kit.ts";

export const addSubtaskTool = defineTool({
  name: "taskflow_add_subtask",
  action: "task.create",
  title: "Add a subtask (delegate)",
  description:
    "Split work off a task you hold: create a subtask, optionally assigned to another worker (a project member), " +
    "who then owns it. Say exactly what done looks like in the description.",
  input: z.object({
    parentId: z.uuid().describe("The task this is part of"),
    title: taskTitle,
    description: taskDescription.default(""),
    assigneeId: z.uuid().optional().describe("The worker you delegate to (taskflow_find_workers)"),
    priority: taskPriority.default("medium"),
    tags: taskTags.default([]),
    dueAt: dueAt.optional(),
  }),
  output: Task,
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false },
  run: ({ db, actor, delegationMaxDepth }, { parentId, ...input }) =>
    createSubtask(db, actor, parentId, input, { delegationMaxDepth }),
  summarize: (task) => `Created subtask ${taskLine(task)}`,
});
