import type { Actor } from "../actor.ts";
import type { TaskRow } from "../tasks/authorize-task.ts";

/** How long a claim lasts without a heartbeat, unless configured (LEASE_SECONDS). */
export const defaultLeaseSeconds = 600;

export interface ClaimOptions {
  /** Lease length for this claim; every heartbeat or progress report extends it by as much. */
  leaseSeconds?: number;
  now?: Date;
}

export function holdsLiveClaim(task: TaskRow, actor: Pick<Actor, "workerId">, now: Date): boolean {
  return task.claimedById === actor.workerId && task.leaseExpiresAt !== null && task.leaseExpiresAt > now;
}

/** The columns that extend a live claim of the actor's by one lease; nothing for anyone else. */
export function leaseRenewal(
  task: TaskRow,
  actor: Pick<Actor, "workerId">,
  now: Date,
): { leaseExpiresAt?: Date } {
  if (!holdsLiveClaim(task, actor, now)) return {};
  const seconds = task.leaseSeconds ?? defaultLeaseSeconds;
  return { leaseExpiresAt: new Date(now.getTime() + seconds * 1000) };
}

/** The claim columns cleared, as when a task returns to the pool. */
export const noClaim = {
  claimedById: null,
  claimedAt: null,
  leaseExpiresAt: null,
  leaseSeconds: null,
} as const;
