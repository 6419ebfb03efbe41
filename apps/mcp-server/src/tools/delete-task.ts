import { deleteTask } from "@taskflow/core";
import { z } from "zod";
import { taskId } from "./fields.ts";
import { defineTool } from "./tool-kit.ts";

export const deleteTaskTool = defineTool({
  name: "taskflow_delete_task",
  action: "task.delete_own",
  title: "Delete a task",
  description: "Delete a task and all its subtasks. Only its creator (or a project admin) may.",
  input: z.object({ taskId }),
  output: z.object({ deletedIds: z.array(z.uuid()) }),
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false },
  run: ({ db, actor }, { taskId: id }) => deleteTask(db, actor, id),
  summarize: ({ deletedIds }) => `Deleted ${deletedIds.length} task(s).`,
});
