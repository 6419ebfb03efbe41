import type { Task, TaskCreate } from "@taskflow/contracts";
import { and, eq } from "drizzle-orm";
import type { Actor } from "../actor.ts";
import { authorizeProject } from "../authorization/project-access.ts";
import type { TaskflowDb, TaskflowTx } from "../db/database.ts";
import { tasks } from "../db/schema/tasks.ts";
import { invalidInput } from "../errors.ts";
import { assertAssignable } from "./assert-assignable.ts";
import { insertTask } from "./insert-task.ts";
import { loadTask } from "./select-tasks.ts";

/** Creates a task in a project (members and up); with `parentId`, a subtask of a task in it. */
export async function createTask(
  db: TaskflowDb,
  actor: Actor,
  projectId: string,
  input: TaskCreate,
): Promise<Task> {
  return db.transaction(async (tx) => {
    await authorizeProject(tx, actor, projectId, "task.create");
    if (input.parentId) {
      const [parent] = await tx
        .select({ id: tasks.id })
        .from(tasks)
        .where(and(eq(tasks.id, input.parentId), eq(tasks.projectId, projectId)))
        .for("share");
      if (!parent) throw invalidInput("body.parentId", "no such task in this project");
    }
    const task = await insertNewTask(tx, actor, projectId, input.parentId ?? null, input);
    return loadTask(tx, task.id);
  });
}

/** The part create-task and create-subtask share, once the project and parent are checked. */
export async function insertNewTask(
  tx: TaskflowTx,
  actor: Actor,
  projectId: string,
  parentId: string | null,
  input: Omit<TaskCreate, "parentId">,
) {
  if (input.assigneeId) {
    await assertAssignable(tx, actor.tenantId, projectId, input.assigneeId, "body.assigneeId");
  }
  return insertTask(tx, actor, {
    tenantId: actor.tenantId,
    projectId,
    parentId,
    title: input.title,
    description: input.description,
    priority: input.priority,
    tags: input.tags,
    dueAt: input.dueAt ? new Date(input.dueAt) : null,
    assigneeId: input.assigneeId ?? null,
    creatorId: actor.workerId,
    recurrence: input.recurrence ?? null,
  });
}
