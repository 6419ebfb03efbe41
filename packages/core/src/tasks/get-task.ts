import type { TaskDetail } from "@taskflow/contracts";
import type { Actor } from "../actor.ts";
import type { TaskflowDb } from "../db/database.ts";
import { authorizeTask } from "./authorize-task.ts";
import { listDirectSubtasks, loadTask } from "./select-tasks.ts";

/** A task with its direct subtasks. */
export async function getTask(db: TaskflowDb, actor: Actor, taskId: string): Promise<TaskDetail> {
  await authorizeTask(db, actor, taskId, "project.read");
  const [task, subtasks] = await Promise.all([loadTask(db, taskId), listDirectSubtasks(db, taskId)]);
  return { ...task, subtasks };
}
