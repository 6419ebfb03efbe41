import type { ProjectPermission } from "../authorization/permissions.ts";
import type { TaskStatus } from "../db/schema/tasks.ts";
import { DomainError } from "../errors.ts";

/**
 * Every status change a task may make, and the permission each one needs: the one table the
 * domain consults (and apps/api/README.md shows). A move that is not here is refused with
 * `invalid_transition`, naming the moves that are.
 *
 * - A task is started before it is completed (no pending → completed), so `startedAt` is real.
 * - Leaving review (approve: → completed, reject: → in_progress) is for reviewers only.
 * - A completed task can be reopened (→ in_progress).
 */
export const taskTransitions = {
  pending: { in_progress: "task.work", blocked: "task.work" },
  in_progress: { review: "task.work", completed: "task.work", blocked: "task.work", pending: "task.work" },
  review: { completed: "task.review", in_progress: "task.review" },
  blocked: { in_progress: "task.work", pending: "task.work" },
  completed: { in_progress: "task.work" },
} as const satisfies Record<TaskStatus, Partial<Record<TaskStatus, ProjectPermission>>>;

/** The statuses a task in `from` may move to. */
export function allowedTransitions(from: TaskStatus): TaskStatus[] {
  return Object.keys(taskTransitions[from]) as TaskStatus[];
}

/** The permission a move needs, or throws `invalid_transition` listing the allowed moves. */
export function transitionPermission(from: TaskStatus, to: TaskStatus): ProjectPermission {
  const permission = (taskTransitions[from] as Partial<Record<TaskStatus, ProjectPermission>>)[to];
  if (!permission) {
    const allowed = allowedTransitions(from);
    throw new DomainError(
      "invalid_transition",
      `a task cannot move from ${from} to ${to}; from ${from} it can move to ${allowed.join(", ")}`,
      { details: { current: from, allowed } },
    );
  }
  return permission;
}

/**
 * The permission a caller needs to attempt moving a task from `from` to `to`: the move's own, or
 * `task.work` for a move outside the table (which is then refused as invalid_transition, once the
 * caller is known to see the task, so the refusal tells nothing to someone who cannot).
 */
export function permissionToAttempt(from: TaskStatus, to: TaskStatus): ProjectPermission {
  return (taskTransitions[from] as Partial<Record<TaskStatus, ProjectPermission>>)[to] ?? "task.work";
}
