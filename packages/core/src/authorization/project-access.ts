import type { Actor } from "../actor.ts";
import type { TaskflowExecutor } from "../db/database.ts";
import { type ProjectRole, projects } from "../db/schema/projects.ts";
import { runStatement, tableColumns } from "../db/statements.ts";
import { forbidden, notFound } from "../errors.ts";
import { assertKeyAllows, type KeyAction, permissionKeyAction } from "./key-scope.ts";
import { higherRole, orgRoleInProjects, type ProjectPermission, roleAllows } from "./permissions.ts";
import { assertTokenScopeAllows } from "./token-scopes.ts";

export type ProjectRow = typeof projects.$inferSelect;

/** The project's columns as the access statements select them (authorize-task.ts reads them beside its task). */
export const projectColumns = tableColumns(projects, "projects");
/** The project and the caller's membership in one round trip: every request that touches a project pays it. */
const projectAccessSql = `select ${projectColumns.list}, "project_members"."role" from "projects"
  left join "project_members"
    on "project_members"."project_id" = "projects"."id" and "project_members"."worker_id" = $2
  where "projects"."id" = $1 and "projects"."tenant_id" = $3`;

/**
 * The caller's effective role in a project: their membership role, raised by their organization role
 * (orgRoleInProjects: the organization's owners and admins oversee every project of their tenant).
 */
function effectiveRole(actor: Actor, membershipRole: ProjectRole | null): ProjectRole | null {
  return higherRole(membershipRole, actor.orgRole ? orgRoleInProjects[actor.orgRole] : null);
}

/**
 * The one decision on a permission in a project of the caller's tenant, once the caller's membership is
 * known: the token's scope (actionScopes), the effective role (membership or organization role; none: not
 * found, so a project the caller cannot see leaks nothing), the agent key's project and action
 * (`permissionKeyAction`, or `options.keyAction` when the use is more specific, e.g. `claim`), and the
 * role table. authorizeProject loads one project and asks it; the lists of projects and recent tasks ask
 * it of every project of the tenant (readableProjects). Returns the effective role.
 */
export function decideProjectAccess(
  actor: Actor,
  projectId: string,
  membershipRole: ProjectRole | null,
  permission: ProjectPermission,
  options: { keyAction?: KeyAction } = {},
): ProjectRole {
  assertTokenScopeAllows(actor, permission);
  const role = effectiveRole(actor, membershipRole);
  if (!role) throw notFound("project");
  assertKeyAllows(actor, projectId, options.keyAction ?? permissionKeyAction[permission]);
  if (!roleAllows(role, permission)) {
    throw forbidden(`your role in this project (${role}) does not allow ${permission}`);
  }
  return role;
}

/**
 * Loads a project of the caller's tenant and checks a permission. A project the caller cannot
 * even read answers not found, so ids of other tenants and private projects leak nothing.
 * A person's token must carry the permission's scope (`actionScopes`; checked first, as it reads
 * only the token). An agent key must be scoped to the project and to the permission's key action
 * (`permissionKeyAction`, or `options.keyAction` when the use is more specific, e.g. `claim`).
 */
export async function authorizeProject(
  tx: TaskflowExecutor,
  actor: Actor,
  projectId: string,
  permission: ProjectPermission,
  options: { keyAction?: KeyAction } = {},
): Promise<{ project: ProjectRow; role: ProjectRole }> {
  assertTokenScopeAllows(actor, permission);
  const [row] = await runStatement(
    tx,
    projectAccessSql,
    [projectId, actor.workerId, actor.tenantId],
    (values) => ({
      project: projectColumns.decode(values),
      membershipRole: values[projectColumns.width] as ProjectRole | null,
    }),
  );
  if (!row) throw notFound("project");
  const role = decideProjectAccess(actor, projectId, row.membershipRole, permission, options);
  return { project: row.project, role };
}
