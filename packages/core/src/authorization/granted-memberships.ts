import type { Actor } from "../actor.ts";
import { type ProjectRole, projectRoles } from "../db/schema/projects.ts";
import { DomainError } from "../errors.ts";
import type { KeyAction } from "./key-scope.ts";
import type { ProjectPermission } from "./permissions.ts";
import { decideProjectAccess } from "./project-access.ts";

/**
 * The memberships in a project (`''` for none, or a project role) with which decideProjectAccess grants this
 * caller a permission there. The decision reads nothing but the caller and the membership, and a membership
 * is one of these five values: asking it of each one beforehand lets a single statement read the caller's
 * membership and write only when it is one of them (create-task-statement.ts), without a round trip to
 * decide in between. The rule stays decideProjectAccess's; a statement that wrote nothing sends its caller
 * to authorizeProject, whose refusal (404, 403) is the answer, as it always was.
 */
export function grantedMemberships(
  actor: Actor,
  projectId: string,
  permission: ProjectPermission,
  options: { keyAction?: KeyAction } = {},
): string[] {
  const granted: string[] = [];
  for (const membership of [null, ...projectRoles] as (ProjectRole | null)[]) {
    try {
      decideProjectAccess(actor, projectId, membership, permission, options);
      granted.push(membership ?? "");
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
    }
  }
  return granted;
}
