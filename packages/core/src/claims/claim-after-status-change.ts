import { and, eq, isNull } from "drizzle-orm";
import type { TaskflowTx } from "../db/database.ts";
import type { TaskStatus } from "../db/schema/tasks.ts";
import { workers } from "../db/schema/workers.ts";
import type { TaskRow } from "../tasks/authorize-task.ts";
import { defaultLeaseSeconds, noClaim } from "./lease.ts";

type ClaimColumns = Pick<
  TaskRow,
  | "claimedById"
  | "claimedAt"
  | "leaseExpiresAt"
  | "leaseSeconds"
  | "stopRequestedById"
  | "stopRequestedAt"
  | "stopReason"
  | "stopAcknowledgedAt"
>;

/**
 * What a status change does to the task's claim: the one rule, for every path that moves a task
 * (PATCH …/status, approve, reject, the MCP status tools, the dashboard's board and review panel).
 *
 * A claim says "this worker is working on it now", so it is held on a task in progress only:
 * - Leaving in_progress ends it: handing the work in (review, completed) or stopping (blocked,
 *   pending). The lease is gone, so the lease sweep never takes the task from its assignee, and the
 *   assignee stays: the work is still theirs, waiting for the review or to be unblocked.
 * - A rejection (review → in_progress) gives the task back to its assignee. An agent gets a fresh
 *   claim at once, its lease running from now: the review's reason is its next job, its heartbeats
 *   carry on, and if it has gone away the sweep returns the task to the pool instead of leaving it
 *   in progress with nobody on it. A person assignee simply has it back (people are not leased).
 * - Other moves into in_progress (start, unblock, reopen) leave claims to the claim verbs.
 * Returns the claim columns to write, or nothing when the claim does not change.
 */
export async function claimAfterStatusChange(
  tx: TaskflowTx,
  task: TaskRow,
  to: TaskStatus,
  options: { leaseSeconds?: number | undefined; now: Date },
): Promise<Partial<ClaimColumns>> {
  // No claim survives outside in_progress (nor one a row kept from before this rule).
  if (to !== "in_progress") return noClaim;
  if (task.status !== "review" || !task.assigneeId) return {};
  const [agent] = await tx
    .select({ id: workers.id })
    .from(workers)
    .where(and(eq(workers.id, task.assigneeId), eq(workers.kind, "agent"), isNull(workers.deletedAt)));
  if (!agent) return noClaim;
  const leaseSeconds = options.leaseSeconds ?? defaultLeaseSeconds;
  return {
    claimedById: agent.id,
    claimedAt: options.now,
    leaseExpiresAt: new Date(options.now.getTime() + leaseSeconds * 1000),
    leaseSeconds,
    // A stop asked of the earlier claim is not one asked of this one (as when claiming).
    stopRequestedById: null,
    stopRequestedAt: null,
    stopReason: null,
    stopAcknowledgedAt: null,
  };
}
