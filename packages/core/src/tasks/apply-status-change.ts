import type { Actor } from "../actor.ts";
import { claimAfterStatusChange } from "../claims/claim-after-status-change.ts";
import type { TaskflowTx } from "../db/database.ts";
import type { ProjectRole } from "../db/schema/projects.ts";
import type { TaskStatus } from "../db/schema/tasks.ts";
import { notifyStatusChange } from "../notifications/task-notifications.ts";
import type { TaskRow } from "./authorize-task.ts";
import { authorizeTransition } from "./authorize-transition.ts";
import { createNextOccurrence } from "./create-next-occurrence.ts";
import { type UpdatedTask, updateTaskStatement } from "./update-task-statement.ts";

export type StatusAction = "task.status_changed" | "task.approved" | "task.rejected";

export interface StatusChangeOptions {
  /** Lease length of a claim a rejection gives back (LEASE_SECONDS); the domain default if unset. */
  leaseSeconds?: number | undefined;
}

/**
 * Moves a (locked) task to another status if authorizeTransition allows it (the transition table,
 * the caller's role and key scope), keeping the timestamps true: `startedAt` on the first start,
 * `completedAt` (and progress 100) on completion, `completedAt` cleared on reopening. The claim
 * follows claimAfterStatusChange (handing in ends it; a rejection gives an agent assignee a fresh
 * one). A completed recurring task gets its next occurrence. Returns the row as written and the task as
 * the API answers it: nothing after the update writes this task's row (the notifications, the next
 * occurrence, which is another task, a note's comment), so the answer is the task as the change leaves it.
 */
export async function applyStatusChange(
  tx: TaskflowTx,
  actor: Actor,
  role: ProjectRole,
  task: TaskRow,
  to: TaskStatus,
  action: StatusAction = "task.status_changed",
  options: StatusChangeOptions = {},
): Promise<UpdatedTask> {
  authorizeTransition(actor, role, task, to);
  const now = new Date();
  const claim = await claimAfterStatusChange(tx, task, to, { leaseSeconds: options.leaseSeconds, now });
  // The update, its audit row and the task as answered, in one statement (update-task-statement.ts).
  const updated = await updateTaskStatement(
    tx,
    actor,
    task,
    {
      status: to,
      ...claim,
      ...(to === "in_progress" && !task.startedAt ? { startedAt: now } : {}),
      ...(to === "completed" ? { completedAt: now, progress: 100 } : {}),
      ...(task.status === "completed" ? { completedAt: null } : {}),
      updatedAt: now,
    },
    action,
  );
  await notifyStatusChange(tx, actor, task, updated.row);
  if (to === "completed") await createNextOccurrence(tx, actor, updated.row);
  return updated;
}
