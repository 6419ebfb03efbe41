import type { Task } from "@taskflow/contracts";
import { asc, eq } from "drizzle-orm";
import type { Actor } from "../actor.ts";
import type { TaskflowDb, TaskflowExecutor } from "../db/database.ts";
import { tasks } from "../db/schema/tasks.ts";
import { authorizeTask } from "./authorize-task.ts";
import { selectTasks, toTask } from "./select-tasks.ts";

/** The direct subtasks of a task, oldest first. */
export async function listSubtasks(db: TaskflowDb, actor: Actor, taskId: string): Promise<Task[]> {
  await authorizeTask(db, actor, taskId, "project.read");
  return listDirectSubtasks(db, taskId);
}

export async function listDirectSubtasks(db: TaskflowExecutor, taskId: string): Promise<Task[]> {
  const rows = await selectTasks(db)
    .where(eq(tasks.parentId, taskId))
    .orderBy(asc(tasks.createdAt), asc(tasks.id));
  return rows.map(toTask);
}
