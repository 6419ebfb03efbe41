// Which claim the dashboard shows on a task. Pure function.
import type { Task } from "@taskflow/contracts";

/**
 * The claim to show as "Claimed by … lease until …": a worker holding the task now. A claim lives on work in
 * progress only (handing the work in ends it, packages/core/src/claims/claim-after-status-change.ts), and a
 * lease that ran out is nobody's hold any more, even before the sweep gets to it. Anything else: none.
 */
export function liveClaim(task: Pick<Task, "status" | "claim">, now: Date): Task["claim"] {
  const claim = task.claim;
  if (!claim || task.status !== "in_progress") return null;
  return Date.parse(claim.leaseExpiresAt) > now.getTime() ? claim : null;
}
