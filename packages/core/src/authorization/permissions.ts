import type { OrgRole } from "../actor.ts";
import type { ProjectRole } from "../db/schema/projects.ts";

/**
 * Who may do what inside a project: the one table the domain consults (and the README shows).
 * A role may do everything the roles below it may.
 */
export const projectPermissions = {
  "project.read": "viewer",
  "audit.read": "viewer",
  "task.create": "member",
  "task.work": "member",
  "task.comment": "member",
  /** Deleting a task one created oneself. */
  "task.delete_own": "member",
  /** Deleting anyone's task. */
  "task.delete_any": "admin",
  "task.review": "admin",
  /** Leaving a project oneself (any member; the last owner cannot). */
  "member.leave": "viewer",
  "project.update": "admin",
  "member.manage": "admin",
  "project.delete": "owner",
  /** Granting or taking away the owner role. */
  "member.manage_owners": "owner",
} as const satisfies Record<string, ProjectRole>;

export type ProjectPermission = keyof typeof projectPermissions;

/**
 * The role an organization role gives in every project of the organization, member or not: its owners
 * and admins oversee them all (as admins: making someone an owner or deleting a project stays with the
 * project's owners).
 */
export const orgRoleInProjects: Record<OrgRole, ProjectRole | null> = {
  owner: "admin",
  admin: "admin",
  member: null,
};

const rank: Record<ProjectRole, number> = { viewer: 1, member: 2, admin: 3, owner: 4 };

export function roleAllows(role: ProjectRole, permission: ProjectPermission): boolean {
  return rank[role] >= rank[projectPermissions[permission]];
}

export function higherRole(a: ProjectRole | null, b: ProjectRole | null): ProjectRole | null {
  if (!a) return b;
  if (!b) return a;
  return rank[a] >= rank[b] ? a : b;
}
