import type { Actor } from "../actor.ts";
import { DomainError } from "../errors.ts";
import type { ProjectPermission } from "./permissions.ts";

/** What an agent key may be used for; a key carries a subset (`agent_keys.actions`). */
export const keyActions = ["read", "write_tasks", "claim", "comment", "manage"] as const;
export type KeyAction = (typeof keyActions)[number];

/** The actions of a key issued without saying which: everything but manage. */
export const defaultKeyActions: KeyAction[] = ["read", "write_tasks", "claim", "comment"];

/** The key action each project permission needs (role table: permissions.ts). */
export const permissionKeyAction: Record<ProjectPermission, KeyAction> = {
  "project.read": "read",
  "audit.read": "read",
  "task.create": "write_tasks",
  "task.work": "write_tasks",
  "task.delete_own": "write_tasks",
  "task.comment": "comment",
  "task.delete_any": "manage",
  "task.review": "manage",
  "member.leave": "write_tasks",
  "project.update": "manage",
  "member.manage": "manage",
  "project.delete": "manage",
  "member.manage_owners": "manage",
};

/** The refused use as it travels on a forbidden error (and into the `agent_key.scope_denied` audit row). */
export interface ScopeDenied {
  action: KeyAction;
  projectId: string;
}

/**
 * Refuses (403) an agent key used for an action or in a project outside its scope. People and
 * unscoped actors pass. Call it after the caller is known to see the project, so a project the
 * agent is not in still answers 404. The error carries `details.scopeDenied`.
 */
export function assertKeyAllows(actor: Actor, projectId: string, action: KeyAction): void {
  const scope = actor.keyScope;
  if (!scope) return;
  if (scope.projectIds && !scope.projectIds.includes(projectId)) {
    throw new DomainError(
      "forbidden",
      `this API key is not scoped to project ${projectId}; use a key that includes it`,
      { details: { scopeDenied: { action, projectId } satisfies ScopeDenied } },
    );
  }
  if (!scope.actions.includes(action)) {
    throw new DomainError(
      "forbidden",
      `this API key lacks the "${action}" scope (it has: ${scope.actions.join(", ") || "none"})`,
      { details: { scopeDenied: { action, projectId } satisfies ScopeDenied } },
    );
  }
}

/** The refused key use a forbidden error carries, if it is one. */
export function scopeDeniedOf(error: unknown): ScopeDenied | null {
  if (!(error instanceof DomainError) || error.code !== "forbidden") return null;
  const denied = error.details.scopeDenied;
  if (!denied || typeof denied !== "object") return null;
  const { action, projectId } = denied as Record<string, unknown>;
  if (typeof projectId !== "string" || !isKeyAction(action)) return null;
  return { action, projectId };
}

export function isKeyAction(value: unknown): value is KeyAction {
  return typeof value === "string" && (keyActions as readonly string[]).includes(value);
}
