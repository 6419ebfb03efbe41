import type { Task } from "@taskflow/contracts";
import { inArray, sql } from "drizzle-orm";
import type { Actor } from "../actor.ts";
import { authorizeProject } from "../authorization/project-access.ts";
import { projectsAllowing } from "../authorization/readable-projects.ts";
import type { TaskflowDb } from "../db/database.ts";
import { tasks } from "../db/schema/tasks.ts";
import { workers } from "../db/schema/workers.ts";
import { forbidden } from "../errors.ts";
import { loadTask } from "../tasks/select-tasks.ts";
import { applyClaim } from "./apply-claim.ts";
import { type ClaimOptions, defaultLeaseSeconds } from "./lease.ts";

/**
 * Claims the next task the actor may take: pending and unclaimed (or its claim lapsed), in a
 * project where the actor is a member (not a viewer), unassigned or assigned to the actor, all
 * dependencies completed, and every required capability among the actor's. Highest priority
 * first, then earliest due, then oldest. Rows another claimer is looking at are skipped (SKIP
 * LOCKED), so racing agents each get a different task. Null when nothing is left. Only projects in which
 * a claim is decided as on one task (projectsAllowing `task.work` with the key action `claim`: the token's
 * scope, the role, the key's projects) are looked in.
 */
export async function claimNextTask(
  db: TaskflowDb,
  actor: Actor,
  filter: { projectId?: string | undefined } = {},
  options: ClaimOptions = {},
): Promise<Task | null> {
  const now = options.now ?? new Date();
  const leaseSeconds = options.leaseSeconds ?? defaultLeaseSeconds;
  return db.transaction(async (tx) => {
    // A named project must be one the caller may claim in (not found for another tenant's or an
    // invisible one, 403 outside the key's scope or the token's); without one, the key must allow
    // claims. Either way, only the projects where a claim is allowed are looked in, which refuses
    // (403) a token without the scope claiming needs (red-team finding 5: a read-only token claimed).
    if (filter.projectId) {
      await authorizeProject(tx, actor, filter.projectId, "task.work", { keyAction: "claim" });
    } else if (actor.keyScope && !actor.keyScope.actions.includes("claim")) {
      throw forbidden(
        `this API key lacks the "claim" scope (it has: ${actor.keyScope.actions.join(", ") || "none"})`,
      );
    }
    const claimable = (await projectsAllowing(tx, actor, "task.work", { keyAction: "claim" })).map(
      ({ project }) => project.id,
    );
    if (claimable.length === 0) return null;
    const capabilities = sql`coalesce((select ${workers.capabilities} from ${workers} where ${workers.id} = ${actor.workerId}), '{}'::text[])`;
    const [next] = await tx
      .select()
      .from(tasks)
      .where(
        sql`${tasks.tenantId} = ${actor.tenantId}
          and ${tasks.status} = 'pending'
          and (${tasks.claimedById} is null or ${tasks.leaseExpiresAt} <= ${now})
          and (${tasks.assigneeId} is null or ${tasks.assigneeId} = ${actor.workerId})
          and ${tasks.projectId} in (select project_id from project_members
                where worker_id = ${actor.workerId} and role <> 'viewer')
          ${filter.projectId ? sql`and ${tasks.projectId} = ${filter.projectId}` : sql``}
          and ${inArray(tasks.projectId, claimable)}
          ${actor.type === "agent" ? sql`and ${tasks.requiredCapabilities} <@ ${capabilities}` : sql``}
          and not exists (select 1 from task_dependencies d join tasks dt on dt.id = d.depends_on_id
                where d.task_id = ${tasks.id} and dt.status <> 'completed')`,
      )
      .orderBy(
        sql`${tasks.priorityRank} desc, ${tasks.dueAt} asc nulls last, ${tasks.createdAt} asc, ${tasks.id} asc`,
      )
      .limit(1)
      .for("update", { skipLocked: true });
    if (!next) return null;
    await applyClaim(tx, actor, next, leaseSeconds, now);
    return loadTask(tx, next.id);
  });
}
