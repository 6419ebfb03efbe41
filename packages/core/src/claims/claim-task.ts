import type { Task } from "@taskflow/contracts";
import type { Actor } from "../actor.ts";
import type { TaskflowDb } from "../db/database.ts";
import { DomainError, forbidden } from "../errors.ts";
import { assertAssignable } from "../tasks/assert-assignable.ts";
import { authorizeTask } from "../tasks/authorize-task.ts";
import { loadTask } from "../tasks/select-tasks.ts";
import { applyClaim } from "./apply-claim.ts";
import { claimRefusal } from "./claim-refusals.ts";
import { type ClaimOptions, defaultLeaseSeconds, holdsLiveClaim } from "./lease.ts";

/**
 * Claims a specific task. The row lock makes racing claims take turns: exactly one wins, and
 * every other learns who holds the task and until when. Claiming a task one already holds
 * renews the lease.
 */
export async function claimTask(
  db: TaskflowDb,
  actor: Actor,
  taskId: string,
  options: ClaimOptions = {},
): Promise<Task> {
  const now = options.now ?? new Date();
  const leaseSeconds = options.leaseSeconds ?? defaultLeaseSeconds;
  return db.transaction(async (tx) => {
    const { task } = await authorizeTask(tx, actor, taskId, "task.work", {
      forUpdate: true,
      keyAction: "claim",
    });
    // A claim assigns the claimer, and only a project member may be assigned (assertAssignable): the
    // organization's owners and admins oversee every project but claim only in those they joined, as
    // claim-next looks only in those.
    await assertAssignable(tx, actor.tenantId, task.projectId, actor.workerId, "taskId").catch(
      (error: unknown) => {
        if (!(error instanceof DomainError)) throw error;
        throw forbidden(
          "a claim assigns you the task, and only the project's members can be assigned: join it first",
        );
      },
    );
    if (!holdsLiveClaim(task, actor, now)) {
      const refusal = await claimRefusal(tx, actor, task, now);
      if (refusal) throw refusal;
    }
    await applyClaim(tx, actor, task, leaseSeconds, now);
    return loadTask(tx, taskId);
  });
}
