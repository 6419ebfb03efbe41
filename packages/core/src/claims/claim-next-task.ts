import type { Task } from "@taskflow/contracts";
import type { Actor } from "../actor.ts";
import { authorizeProject } from "../authorization/project-access.ts";
import { projectsAllowing } from "../authorization/readable-projects.ts";
import type { TaskflowDb } from "../db/database.ts";
import { forbidden } from "../errors.ts";
import { claimNextStatement } from "./claim-next-statement.ts";
import { type ClaimOptions, defaultLeaseSeconds } from "./lease.ts";

/**
 * Claims the next task the actor may take: pending and unclaimed (or its claim lapsed), in a
 * project where the actor is a member (not a viewer), unassigned or assigned to the actor, all
 * dependencies completed, and every required capability among the actor's. Highest priority
 * first, then earliest due, then oldest. Rows another claimer is looking at are skipped (SKIP
 * LOCKED), so racing agents each get a different task. Null when nothing is left. Only projects in which
 * a claim is decided as on one task (projectsAllowing `task.work` with the key action `claim`: the token's
 * scope, the role, the key's projects) are looked in. Two statements in all: the decision's read and the
 * claim itself (claim-next-statement.ts), which picks, locks, updates, opens the agent's run, audits and
 * answers at once.
 */
export async function claimNextTask(
  db: TaskflowDb,
  actor: Actor,
  filter: { projectId?: string | undefined } = {},
  options: ClaimOptions = {},
): Promise<Task | null> {
  const now = options.now ?? new Date();
  const seconds = options.leaseSeconds ?? defaultLeaseSeconds;
  // A named project must be one the caller may claim in (not found for another tenant's or an invisible
  // one, 403 outside the key's scope or the token's); it is then the only project looked in, as
  // projectsAllowing would have kept it (the same decision). Without one, the key must allow claims, and
  // only the projects where a claim is allowed are looked in, which refuses (403) a token without the scope
  // claiming needs (red-team finding 5: a read-only token claimed).
  let claimable: string[];
  if (filter.projectId) {
    await authorizeProject(db, actor, filter.projectId, "task.work", { keyAction: "claim" });
    claimable = [filter.projectId];
  } else {
    if (actor.keyScope && !actor.keyScope.actions.includes("claim")) {
      throw forbidden(
        `this API key lacks the "claim" scope (it has: ${actor.keyScope.actions.join(", ") || "none"})`,
      );
    }
    claimable = (await projectsAllowing(db, actor, "task.work", { keyAction: "claim" })).map(
      ({ project }) => project.id,
    );
  }
  if (claimable.length === 0) return null;
  // No transaction around the two: the claim is one statement, which checks the membership again itself
  // and locks the row it takes; a decision read a moment earlier is what a transaction would have read too.
  return claimNextStatement(db, actor, claimable, { now, seconds });
}
