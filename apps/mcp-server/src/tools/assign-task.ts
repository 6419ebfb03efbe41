import { Task } from "@taskflow/contracts";
import { assignTask } from "@taskflow/core";
import { z } from "zod";
import { expectedVersion, taskId } from "./fields.ts";
import { taskLine } from "./task-summary.ts";
import { defineTool } from "./tool-kit.ts";

export const assignTaskTool = defineTool({
  name: "taskflow_assign_task",
  action: "task.work",
  title: "Assign a task",
  description:
    "Assign a task to a project member (a person or an agent), or unassign it with null. Assigning a subtask to " +
    "another worker delegates it, as taskflow_add_subtask does: recorded, and refused past the delegation depth cap.",
  input: z.object({
    taskId,
    assigneeId: z.uuid().nullable().describe("A member's worker id (taskflow_find_workers), or null"),
    expectedVersion,
  }),
  output: Task,
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true },
  run: ({ db, actor, delegationMaxDepth }, { taskId: id, assigneeId, expectedVersion: version }) =>
    assignTask(db, actor, id, { assigneeId }, { delegationMaxDepth, expectedVersion: version }),
  summarize: (task) => taskLine(task),
});
