import type { Task } from "@taskflow/contracts";
import type { TaskflowExecutor } from "../db/database.ts";
import { runStatement } from "../db/statements.ts";
import { taskFromClause, taskFromValues, taskSelectList } from "./task-statements.ts";

const loadTaskSql = `select ${taskSelectList} ${taskFromClause} where "tasks"."id" = $1`;

/** One task as the API returns it (the caller has already checked access). */
export async function loadTask(db: TaskflowExecutor, taskId: string): Promise<Task> {
  const [task] = await runStatement(db, loadTaskSql, [taskId], taskFromValues);
  if (!task) throw new Error(`task ${taskId} vanished`);
  return task;
}

const subtasksSql = `select ${taskSelectList} ${taskFromClause}
  where "tasks"."parent_id" = $1 order by "tasks"."created_at" asc, "tasks"."id" asc`;

/** The direct subtasks of a task, oldest first (the caller has already checked access). */
export function listDirectSubtasks(db: TaskflowExecutor, taskId: string): Promise<Task[]> {
  return runStatement(db, subtasksSql, [taskId], taskFromValues);
}
