import type { TaskCreate } from "@taskflow/contracts";
import type { Actor } from "../actor.ts";
import { parseDateInput } from "./due-date.ts";
import type { NewTask } from "./insert-task.ts";

/**
 * The new task as insertTask takes it, from the request (a due date it cannot read is refused, naming
 * `body.dueAt`): for the general create and the one-statement create (create-task-statement.ts) alike.
 */
export function newTaskInput(
  actor: Actor,
  projectId: string,
  parentId: string | null,
  input: Omit<TaskCreate, "parentId">,
  delegatedById: string | null,
): NewTask {
  return {
    tenantId: actor.tenantId,
    projectId,
    parentId,
    title: input.title,
    description: input.description,
    priority: input.priority,
    tags: input.tags,
    dueAt: input.dueAt ? parseDateInput(input.dueAt, "body.dueAt") : null,
    assigneeId: input.assigneeId ?? null,
    creatorId: actor.workerId,
    recurrence: input.recurrence ?? null,
    requiredCapabilities: input.requiredCapabilities ?? [],
    delegatedById,
  };
}
