import { and, eq, gt } from "drizzle-orm";
import type { Actor } from "../actor.ts";
import type { TaskflowTx } from "../db/database.ts";
import { tasks } from "../db/schema/tasks.ts";
import type { TaskRow } from "../tasks/authorize-task.ts";
import { leaseRenewal } from "./lease.ts";

/**
 * A progress report from the claim's holder renews its lease, like a heartbeat; from anyone else
 * it changes nothing. For callers that read the task without locking it: the update only lands
 * while the actor still holds a live claim, so a release or an expiry in between is not undone.
 */
export async function renewLeaseOnProgress(
  tx: TaskflowTx,
  actor: Pick<Actor, "workerId">,
  task: TaskRow,
  now: Date = new Date(),
): Promise<void> {
  const renewal = leaseRenewal(task, actor, now);
  if (!renewal.leaseExpiresAt) return;
  await tx
    .update(tasks)
    .set(renewal)
    .where(and(eq(tasks.id, task.id), eq(tasks.claimedById, actor.workerId), gt(tasks.leaseExpiresAt, now)));
}
