import { eq, sql } from "drizzle-orm";
import type { Actor } from "../actor.ts";
import { recordAudit } from "../audit/record-audit.ts";
import { claimAfterStatusChange } from "../claims/claim-after-status-change.ts";
import type { TaskflowTx } from "../db/database.ts";
import type { ProjectRole } from "../db/schema/projects.ts";
import { type TaskStatus, tasks } from "../db/schema/tasks.ts";
import { notifyStatusChange } from "../notifications/task-notifications.ts";
import type { TaskRow } from "./authorize-task.ts";
import { authorizeTransition } from "./authorize-transition.ts";
import { createNextOccurrence } from "./create-next-occurrence.ts";

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
 * one). A completed recurring task gets its next occurrence.
 */
export async function applyStatusChange(
  tx: TaskflowTx,
  actor: Actor,
  role: ProjectRole,
  task: TaskRow,
  to: TaskStatus,
  action: StatusAction = "task.status_changed",
  options: StatusChangeOptions = {},
): Promise<TaskRow> {
  authorizeTransition(actor, role, task, to);
  const now = new Date();
  const claim = await claimAfterStatusChange(tx, task, to, { leaseSeconds: options.leaseSeconds, now });
  const [updated] = await tx
    .update(tasks)
    .set({
      status: to,
      ...claim,
      ...(to === "in_progress" && !task.startedAt ? { startedAt: now } : {}),
      ...(to === "completed" ? { completedAt: now, progress: 100 } : {}),
      ...(task.status === "completed" ? { completedAt: null } : {}),
      version: sql`${tasks.version} + 1`,
      updatedAt: now,
    })
    .where(eq(tasks.id, task.id))
    .returning();
  if (!updated) throw new Error("update returned no task");
  await recordAudit(tx, actor, {
    entityType: "task",
    entityId: task.id,
    projectId: task.projectId,
    taskId: task.id,
    action,
    before: task,
    after: updated,
  });
  await notifyStatusChange(tx, actor, task, updated);
  if (to === "completed") await createNextOccurrence(tx, actor, updated);
  return updated;
}
