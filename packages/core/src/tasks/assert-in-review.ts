import { DomainError } from "../errors.ts";
import type { TaskRow } from "./authorize-task.ts";
import { allowedTransitions } from "./task-transitions.ts";

/** Only a task in review can be approved or rejected. */
export function assertInReview(task: TaskRow, verb: "approve" | "reject"): void {
  if (task.status === "review") return;
  throw new DomainError(
    "invalid_transition",
    `only a task in review can be ${verb === "approve" ? "approved" : "rejected"}; this one is ${task.status}`,
    { details: { current: task.status, allowed: allowedTransitions(task.status) } },
  );
}
