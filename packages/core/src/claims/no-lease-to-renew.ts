import type { Actor } from "../actor.ts";
import { DomainError } from "../errors.ts";
import type { TaskRow } from "../tasks/authorize-task.ts";

/**
 * Why a heartbeat finds no claim of the caller's to renew, as a conflict that says what to do next
 * (`next`, shown by the MCP server as the hint). `handedIn` tells a client the work was handed in:
 * nothing to renew, nothing lost (claims end with the work: claim-after-status-change.ts).
 */
export function noLeaseToRenew(task: TaskRow, actor: Pick<Actor, "workerId">): DomainError {
  const current = task.status;
  if (current === "review" || current === "completed") {
    const message =
      current === "review"
        ? "this task is in review: its claim ended when the work was handed in, so there is no lease to renew"
        : "this task is completed: its claim ended when the work was handed in, so there is no lease to renew";
    const next =
      current === "review"
        ? "Stop heartbeating it. If the review sends it back, it returns to its assignee in progress with a " +
          "fresh claim, and the reason is in its comments."
        : "Stop heartbeating it and take other work.";
    return new DomainError("conflict", message, {
      details: { current, handedIn: true, leaseExpired: false, next },
    });
  }
  if (task.claimedById !== null && task.claimedById !== actor.workerId) {
    return new DomainError("conflict", "another worker holds this task", {
      details: { current, handedIn: false, leaseExpired: false },
    });
  }
  const lapsed = task.claimedById === actor.workerId;
  return new DomainError(
    "conflict",
    lapsed
      ? "you no longer hold this task: its lease expired; claim it again if it is still open"
      : `you do not hold this task (it is ${current}); claim it again if it is still open`,
    { details: { current, handedIn: false, leaseExpired: lapsed || task.claimedById === null } },
  );
}
