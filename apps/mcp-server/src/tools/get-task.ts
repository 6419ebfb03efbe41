import { Comment, TaskDetail } from "@taskflow/contracts";
import { getTask, listComments } from "@taskflow/core";
import { z } from "zod";
import { taskId } from "./fields.ts";
import { taskLine } from "./task-summary.ts";
import { defineTool } from "./tool-kit.ts";

export const getTaskTool = defineTool({
  name: "taskflow_get_task",
  action: "project.read",
  title: "Get a task",
  description: "A task with its direct subtasks and its latest comments (notes and progress reports).",
  input: z.object({ taskId }),
  output: z.object({ task: TaskDetail, comments: z.array(Comment) }),
  annotations: { readOnlyHint: true, idempotentHint: true },
  run: async ({ db, actor }, { taskId: id }) => {
    const task = await getTask(db, actor, id);
    const comments = await listComments(db, actor, id, { limit: 50 });
    return { task, comments: comments.items };
  },
  summarize: ({ task, comments }) =>
    [
      taskLine(task),
      task.description,
      ...task.subtasks.map((s) => `  subtask ${taskLine(s)}`),
      ...comments.map((c) => `  ${c.author.handle}: ${c.body}`),
    ]
      .filter(Boolean)
      .join("\n"),
});
