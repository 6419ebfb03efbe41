import { eq, sql } from "drizzle-orm";
import type { Actor } from "../actor.ts";
import { recordAudit } from "../audit/record-audit.ts";
import type { TaskflowTx } from "../db/database.ts";
import { tasks } from "../db/schema/tasks.ts";
import { decideDelegation } from "../delegation/delegation-depth.ts";
import { openRun } from "../runs/open-run.ts";
import type { TaskRow } from "../tasks/authorize-task.ts";

/**
 * Gives the task to the actor: claim with a lease, assigned to them, in progress; a stop request
 * from an earlier claim is cleared. The caller has locked the row and checked it is claimable.
 * Taking a task oneself delegates nothing (decideDelegation keeps an agent's link, a person's claim
 * re-plans it).
 */
export async function applyClaim(
  tx: TaskflowTx,
  actor: Actor,
  task: TaskRow,
  leaseSeconds: number,
  now: Date,
) {
  const [claimed] = await tx
    .update(tasks)
    .set({
      claimedById: actor.workerId,
      claimedAt: now,
      leaseExpiresAt: new Date(now.getTime() + leaseSeconds * 1000),
      leaseSeconds,
      assigneeId: actor.workerId,
      delegatedById: await decideDelegation(tx, actor, task, actor.workerId),
      status: "in_progress",
      startedAt: task.startedAt ?? now,
      stopRequestedById: null,
      stopRequestedAt: null,
      stopReason: null,
      stopAcknowledgedAt: null,
      version: sql`${tasks.version} + 1`,
      updatedAt: now,
    })
    .where(eq(tasks.id, task.id))
    .returning();
  await recordAudit(tx, actor, {
    entityType: "task",
    entityId: task.id,
    projectId: task.projectId,
    taskId: task.id,
    action: "task.claimed",
    before: task,
    after: claimed,
  });
  // An agent's claim opens its run on the task (or takes up the one a dispatch opened).
  if (actor.type === "agent") await openRun(tx, actor, task, actor.workerId, "claim", now);
}
