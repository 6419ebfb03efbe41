import { and, eq, exists, getTableColumns, inArray, or, type SQL, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Actor } from "../actor.ts";
import type { TaskflowExecutor } from "../db/database.ts";
import { projectMembers } from "../db/schema/projects.ts";
import { workers } from "../db/schema/workers.ts";

/**
 * Who may see whom, and whose email address: the one rule every path that shows a worker goes
 * through (`GET /api/workers`, `/api/workers/me`, `/api/members/search`, MCP `taskflow_find_workers`,
 * the dashboard through the API).
 *
 * - **A person's email address** is seen by that person, by the organization's owners and admins
 *   (signed in: a personal access token carries no organization role), and by people who share a
 *   project with them. Agents never see one, whatever their key: an
 *   agent mentions and assigns by handle, and what it reads may travel on to a model provider.
 * - **People see** every worker of their organization (handles, names, kinds), to find whom to add
 *   to a project. **Agents see** themselves and the workers who share a project with them, within
 *   their key's projects: whom they can assign or delegate to.
 * - Searching matches an email address only where it may be seen, so a search cannot probe one.
 *
 * The caller's permission to see workers at all (`worker.read`: a token's `taskflow:read`, a key's
 * `read`) is decided before, by authorizeOrganizationEffect.
 */
export function workerVisibility(
  db: TaskflowExecutor,
  actor: Actor,
): { seen: SQL | undefined; emailSeen: SQL } {
  const viewer = alias(projectMembers, "viewer_membership");
  const subject = alias(projectMembers, "subject_membership");
  const projectIds = actor.keyScope?.projectIds;
  const sharesProject = exists(
    db
      .select({ one: sql`1` })
      .from(viewer)
      .innerJoin(subject, eq(subject.projectId, viewer.projectId))
      .where(
        and(
          eq(viewer.workerId, actor.workerId),
          eq(subject.workerId, workers.id),
          projectIds ? inArray(viewer.projectId, projectIds) : undefined,
        ),
      ),
  );
  const self = eq(workers.id, actor.workerId);
  if (actor.type === "agent") return { seen: or(self, sharesProject), emailSeen: sql`false` };
  const overseer = actor.orgRole === "owner" || actor.orgRole === "admin";
  return { seen: undefined, emailSeen: overseer ? sql`true` : sql`(${or(self, sharesProject)})` };
}

/** Workers as the caller may see them: filtered by `seen`, the email address blanked where it may not be seen. */
export function selectVisibleWorkers(db: TaskflowExecutor, actor: Actor) {
  const { seen, emailSeen } = workerVisibility(db, actor);
  const rows = db
    .select({
      ...getTableColumns(workers),
      email: sql<string | null>`case when ${emailSeen} then ${workers.email} end`,
    })
    .from(workers);
  return { rows, seen: and(eq(workers.tenantId, actor.tenantId), seen), emailSeen };
}
