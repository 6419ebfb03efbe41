import type { Actor } from "../actor.ts";
import { DomainError } from "../errors.ts";
import type { ProjectPermission } from "./permissions.ts";

/**
 * The scopes of a person's tokens: SSO access tokens (OAuth) and personal access tokens share them.
 * `read` sees, `write` works (tasks, comments, claims, reviews, new projects), `manage` administers
 * (a project's settings, members, webhooks and deletion; agents and their keys; personal access tokens).
 * `manage` is its own scope so that a client a person lets work on tasks cannot delete projects,
 * hand out access or mint credentials.
 */
export const taskflowScopes = ["taskflow:read", "taskflow:write", "taskflow:manage"] as const;
export type TaskflowScope = (typeof taskflowScopes)[number];

/** Effects that belong to the organization rather than to one project (organization-access.ts decides them). */
export const organizationEffects = [
  "project.create",
  "worker.read",
  "agent.read",
  "agent.manage",
  "personal_token.read",
  "personal_token.manage",
] as const;
export type OrganizationEffect = (typeof organizationEffects)[number];

/**
 * Effects on what is a person's own: reading one's inbox, and marking it read or choosing one's mail
 * (notifications/notification-access.ts decides them); reading and choosing one's preferences, such as the time
 * zone (workers/preferences.ts).
 */
export const personalEffects = [
  "notification.read",
  "notification.manage",
  "preferences.read",
  "preferences.manage",
] as const;
export type PersonalEffect = (typeof personalEffects)[number];

/**
 * Everything a token's scope can allow: a project permission (permissions.ts), an organization effect, or a
 * person's own (their inbox).
 */
export type ScopedAction = ProjectPermission | OrganizationEffect | PersonalEffect;

/**
 * The scope a token needs for each action. The one table: the API (through authorizeProject and
 * authorizeOrganizationEffect), the MCP server (per tool, before the SDK) and the README read it.
 * Agent keys do not use it: their actions are permissionKeyAction's.
 */
export const actionScopes: Record<ScopedAction, TaskflowScope> = {
  "project.read": "taskflow:read",
  "audit.read": "taskflow:read",
  "task.create": "taskflow:write",
  "task.work": "taskflow:write",
  "task.comment": "taskflow:write",
  "task.delete_own": "taskflow:write",
  // Deleting and reviewing tasks are task work for someone whose role allows them: the role decides.
  "task.delete_any": "taskflow:write",
  "task.review": "taskflow:write",
  "member.leave": "taskflow:write",
  "project.update": "taskflow:manage",
  "member.manage": "taskflow:manage",
  "project.delete": "taskflow:manage",
  "member.manage_owners": "taskflow:manage",
  "project.create": "taskflow:write",
  "worker.read": "taskflow:read",
  "agent.read": "taskflow:read",
  "agent.manage": "taskflow:manage",
  "personal_token.read": "taskflow:read",
  "personal_token.manage": "taskflow:manage",
  "notification.read": "taskflow:read",
  "notification.manage": "taskflow:write",
  "preferences.read": "taskflow:read",
  "preferences.manage": "taskflow:write",
};

/** A token refused for its scope, as it travels on the forbidden error (and into `WWW-Authenticate`). */
export interface InsufficientScope {
  requiredScope: TaskflowScope;
  action: ScopedAction;
}

/**
 * Refuses (403) a token without the scope an action needs. Agent keys (no token scopes) pass: their
 * own scope is checked by assertKeyAllows. The check reads only the token, so it can come before
 * any lookup: a refusal tells nothing about the data.
 */
export function assertTokenScopeAllows(actor: Actor, action: ScopedAction): void {
  if (actor.scopes === null) return;
  const requiredScope = actionScopes[action];
  if (actor.scopes.includes(requiredScope)) return;
  const credential = actor.personalTokenId ? "personal access token" : "access token";
  throw new DomainError(
    "forbidden",
    `this ${credential} lacks the ${requiredScope} scope, which ${action} needs ` +
      `(it has: ${actor.scopes.filter(isTaskflowScope).join(", ") || "none"})`,
    { details: { insufficientScope: { requiredScope, action } satisfies InsufficientScope } },
  );
}

/** The missing scope a forbidden error carries, if it is a token-scope refusal. */
export function insufficientScopeOf(error: unknown): InsufficientScope | null {
  if (!(error instanceof DomainError) || error.code !== "forbidden") return null;
  const refused = error.details.insufficientScope;
  if (!refused || typeof refused !== "object") return null;
  const { requiredScope, action } = refused as Record<string, unknown>;
  if (!isTaskflowScope(requiredScope) || !isScopedAction(action)) return null;
  return { requiredScope, action };
}

export function isScopedAction(value: unknown): value is ScopedAction {
  return typeof value === "string" && Object.hasOwn(actionScopes, value);
}

export function isTaskflowScope(value: unknown): value is TaskflowScope {
  return typeof value === "string" && (taskflowScopes as readonly string[]).includes(value);
}
