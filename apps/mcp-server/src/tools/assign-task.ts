import { Task } from "@taskflow/contracts";
import { assignTask } from "@taskflow/core";
import { z } from "zod";
import { expectedVersion, taskId } from "./fields.ts";
import { taskLine } from "./task-summary.ts";
import { defineTool } from "./tool-kit.ts";

export const assignTaskTool = defineTool({
  name: "taskflow_assign_task",
  title: "Assign a task",
  description: "Assign a task to a project member (a person or an agent), or unassign it with null.",
  input: z.object({
    taskId,
    assigneeId: z.uuid().nullable().describe("A member's worker id (taskflow_find_workers), or null"),
    expectedVersion,
  }),
  output: Task,
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true },
  run: ({ db, actor }, { taskId: id, assigneeId, expectedVersion: version }) =>
    assignTask(db, actor, id, { assigneeId }, version ? { expectedVersion: version } : {}),
  summarize: (task) => taskLine(task),
});
