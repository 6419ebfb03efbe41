import type { Task } from "@taskflow/contracts";
import type { Actor } from "../actor.ts";
import type { TaskflowDb } from "../db/database.ts";
import { authorizeTask } from "./authorize-task.ts";
import { listDirectSubtasks } from "./select-tasks.ts";

/** The direct subtasks of a task, oldest first. */
export async function listSubtasks(db: TaskflowDb, actor: Actor, taskId: string): Promise<Task[]> {
  await authorizeTask(db, actor, taskId, "project.read");
  return listDirectSubtasks(db, taskId);
}
