import type { Task, TaskCreate } from "@taskflow/contracts";
import { and, eq } from "drizzle-orm";
import type { Actor } from "../actor.ts";
import { authorizeProject } from "../authorization/project-access.ts";
import type { TaskflowDb, TaskflowTx } from "../db/database.ts";
import { tasks } from "../db/schema/tasks.ts";
import { type DelegationOptions, decideDelegation } from "../delegation/delegation-depth.ts";
import { insertDependency } from "../dependencies/insert-dependency.ts";
import { invalidInput } from "../errors.ts";
import { assertAssignable } from "./assert-assignable.ts";
import { createTopLevelTask } from "./create-task-statement.ts";
import { insertTask } from "./insert-task.ts";
import { newTaskInput } from "./new-task-input.ts";
import { loadTask } from "./select-tasks.ts";

/**
 * Creates a task in a project (members and up); with `parentId`, a subtask of a task in it (an
 * agent assigning it to another worker delegates it: recorded, and capped in depth). A task with no
 * parent, assignee or dependencies (most of them) is written by one statement (create-task-statement.ts);
 * the rest, and every refusal, take the transaction below.
 */
export async function createTask(
  db: TaskflowDb,
  actor: Actor,
  projectId: string,
  input: TaskCreate,
  options: DelegationOptions = {},
): Promise<Task> {
  if (!input.parentId && !input.assigneeId && !input.dependsOn?.length) {
    const created = await createTopLevelTask(db, actor, projectId, input, options);
    if (created) return created;
  }
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
    const task = await insertNewTask(tx, actor, projectId, input.parentId ?? null, input, options);
    return loadTask(tx, task.id);
  });
}

/**
 * The part create-task and create-subtask share, once the project and parent are checked: the
 * delegation (depth-capped), the task, and its dependencies.
 */
export async function insertNewTask(
  tx: TaskflowTx,
  actor: Actor,
  projectId: string,
  parentId: string | null,
  input: Omit<TaskCreate, "parentId">,
  options: DelegationOptions = {},
) {
  if (input.assigneeId) {
    await assertAssignable(tx, actor.tenantId, projectId, input.assigneeId, "body.assigneeId");
  }
  const delegatedById = await decideDelegation(
    tx,
    actor,
    { parentId, delegatedById: null },
    input.assigneeId ?? null,
    options,
  );
  const task = await insertTask(tx, actor, newTaskInput(actor, projectId, parentId, input, delegatedById));
  for (const dependsOnId of new Set(input.dependsOn ?? [])) {
    await insertDependency(tx, actor, task, dependsOnId, "body.dependsOn");
  }
  return task;
}
