import { TaskPage, TaskPriority, TaskStatus } from "@taskflow/contracts";
import { listTasks } from "@taskflow/core";
import { z } from "zod";
import { dateInput, pageCursor, pageLimit, projectId } from "./fields.ts";
import { taskLine } from "./task-summary.ts";
import { defineTool } from "./tool-kit.ts";

export const listTasksTool = defineTool({
  name: "taskflow_list_tasks",
  action: "project.read",
  title: "List or search tasks",
  description:
    "Tasks of a project with the API's filters, newest first by default. Use `q` to search titles and descriptions, " +
    '`assigneeId: "me"` for your own work, and `cursor` from a previous answer for the next page.',
  input: z.object({
    projectId,
    status: z.array(TaskStatus).min(1).optional().describe("Only these statuses"),
    priority: z.array(TaskPriority).min(1).optional().describe("Only these priorities"),
    assigneeId: z
      .union([z.uuid(), z.enum(["me", "none"])])
      .optional()
      .describe("A worker id, `me` or `none`"),
    tag: z.string().min(1).max(50).optional().describe("Only tasks with this tag"),
    parentId: z
      .union([z.uuid(), z.literal("none")])
      .optional()
      .describe("Subtasks of this task, or `none` for top-level"),
    dueBefore: dateInput("Only tasks due before this time (ISO 8601)").optional(),
    dueAfter: dateInput("Only tasks due after this time (ISO 8601)").optional(),
    q: z.string().trim().min(1).max(200).optional().describe("Words in the title or description"),
    sort: z
      .enum(["due", "priority", "created", "updated"])
      .default("created")
      .describe("Order: due date, priority, or newest created / updated first"),
    limit: pageLimit(100),
    cursor: pageCursor,
  }),
  output: TaskPage,
  annotations: { readOnlyHint: true, idempotentHint: true },
  run: ({ db, actor }, { projectId: id, ...query }) => listTasks(db, actor, id, query),
  summarize: (page) =>
    [
      page.items.length === 0 ? "No tasks match." : page.items.map(taskLine).join("\n"),
      page.nextCursor ? `More: call again with cursor=${page.nextCursor}` : "",
    ]
      .filter(Boolean)
      .join("\n"),
});
