import { and, asc, eq, inArray, isNotNull } from "drizzle-orm";
import type { Actor } from "../actor.ts";
import type { TaskflowExecutor } from "../db/database.ts";
import { type ProjectRole, projectMembers, projects } from "../db/schema/projects.ts";
import { DomainError } from "../errors.ts";
import type { KeyAction } from "./key-scope.ts";
import { orgRoleInProjects, type ProjectPermission } from "./permissions.ts";
import { decideProjectAccess, type ProjectRow } from "./project-access.ts";
import { assertTokenScopeAllows } from "./token-scopes.ts";

/**
 * The projects of the caller's tenant in which they have `permission`, by name, each with the caller's
 * effective role: those decideProjectAccess allows, the very decision one project gets. Every path that
 * works across projects asks it here (the lists of projects and of recent tasks, claim-next without a
 * project), so the token-scope table, the role table and the key's projects and actions hold there as on
 * one project. A token without the permission's scope is refused (403), as for one project; a project
 * refused for anything else is left out.
 */
export async function projectsAllowing(
  db: TaskflowExecutor,
  actor: Actor,
  permission: ProjectPermission,
  options: { keyAction?: KeyAction } = {},
): Promise<{ project: ProjectRow; role: ProjectRole }[]> {
  assertTokenScopeAllows(actor, permission);
  const raised = actor.orgRole !== null && orgRoleInProjects[actor.orgRole] !== null;
  const projectIds = actor.keyScope?.projectIds;
  const rows = await db
    .select({ project: projects, membershipRole: projectMembers.role })
    .from(projects)
    .leftJoin(
      projectMembers,
      and(eq(projectMembers.projectId, projects.id), eq(projectMembers.workerId, actor.workerId)),
    )
    .where(
      and(
        eq(projects.tenantId, actor.tenantId),
        // Narrowing only (the decision below would refuse the rest): a caller whose organization role
        // gives no role in projects has only those they are a member of, a scoped key only its own.
        raised ? undefined : isNotNull(projectMembers.role),
        projectIds ? inArray(projects.id, projectIds) : undefined,
      ),
    )
    .orderBy(asc(projects.name), asc(projects.id));
  const allowed: { project: ProjectRow; role: ProjectRole }[] = [];
  for (const { project, membershipRole } of rows) {
    try {
      allowed.push({
        project,
        role: decideProjectAccess(actor, project.id, membershipRole, permission, options),
      });
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
    }
  }
  return allowed;
}

/** The projects the caller may read (projectsAllowing `project.read`): listed projects, recent tasks. */
export function readableProjects(
  db: TaskflowExecutor,
  actor: Actor,
): Promise<{ project: ProjectRow; role: ProjectRole }[]> {
  return projectsAllowing(db, actor, "project.read");
}
