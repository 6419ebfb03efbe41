import type { Project } from "@taskflow/contracts";
import { and, asc, eq, inArray, sql } from "drizzle-orm";
import type { Actor } from "../actor.ts";
import { higherRole } from "../authorization/permissions.ts";
import { assertTokenScopeAllows } from "../authorization/token-scopes.ts";
import type { TaskflowDb } from "../db/database.ts";
import { projectMembers, projects } from "../db/schema/projects.ts";
import { toProject } from "./to-project.ts";

/**
 * Projects the caller can see: those they are a member of, or all of the tenant for its admins.
 * An agent key lists only the projects it is scoped to, and nothing without the read scope.
 */
export async function listProjects(db: TaskflowDb, actor: Actor): Promise<Project[]> {
  assertTokenScopeAllows(actor, "project.read");
  const scope = actor.keyScope;
  if (scope && !scope.actions.includes("read")) return [];
  const seesAll = actor.orgRole === "owner" || actor.orgRole === "admin";
  const rows = await db
    .select({ project: projects, role: projectMembers.role })
    .from(projects)
    .leftJoin(
      projectMembers,
      and(eq(projectMembers.projectId, projects.id), eq(projectMembers.workerId, actor.workerId)),
    )
    .where(
      and(
        eq(projects.tenantId, actor.tenantId),
        seesAll ? sql`true` : sql`${projectMembers.role} is not null`,
        scope?.projectIds ? inArray(projects.id, scope.projectIds) : undefined,
      ),
    )
    .orderBy(asc(projects.name), asc(projects.id));
  return rows.map(({ project, role }) =>
    toProject(project, higherRole(role, seesAll ? "admin" : null) ?? "viewer"),
  );
}
