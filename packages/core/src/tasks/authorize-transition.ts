import type { Actor } from "../actor.ts";
import { assertKeyAllows, permissionKeyAction } from "../authorization/key-scope.ts";
import { type ProjectPermission, roleAllows } from "../authorization/permissions.ts";
import { assertTokenScopeAllows } from "../authorization/token-scopes.ts";
import type { ProjectRole } from "../db/schema/projects.ts";
import type { TaskStatus } from "../db/schema/tasks.ts";
import { forbidden } from "../errors.ts";
import type { TaskRow } from "./authorize-task.ts";
import { transitionPermission } from "./task-transitions.ts";

/**
 * The one decision on whether a caller may move a task from its status to `to`, whatever path
 * asks: `PATCH /api/tasks/{id}/status`, `POST …/approve` and `…/reject`, the MCP status tools
 * (start, request review, complete, block) and approve / reject tools, the dashboard's board moves
 * and review panel. The transition table names the permission the move needs (leaving review,
 * to completed or back to in_progress, needs `task.review`); a person's token must carry its scope
 * (actionScopes), the caller's project role must allow it, and an agent key must carry that
 * permission's key action (`manage` for `task.review`): the three tables authorizeProject reads.
 * An approval reached through the status route is still an approval: there is no other door.
 * Throws `invalid_transition` (409) for a move outside the table, `forbidden` (403) otherwise;
 * a key refused for its scope carries `scopeDenied`, so the transport audits it.
 */
export function authorizeTransition(
  actor: Actor,
  role: ProjectRole,
  task: Pick<TaskRow, "status" | "projectId">,
  to: TaskStatus,
): ProjectPermission {
  const permission = transitionPermission(task.status, to);
  assertTokenScopeAllows(actor, permission);
  assertKeyAllows(actor, task.projectId, permissionKeyAction[permission]);
  if (!roleAllows(role, permission)) {
    throw forbidden(`moving a task from ${task.status} to ${to} needs ${permission}; your role is ${role}`);
  }
  return permission;
}
