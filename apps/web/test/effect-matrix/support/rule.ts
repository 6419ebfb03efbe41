// What the rule says, computed from core's tables and never typed per case: the project role table
// (permissions.ts) with the organization roles' reach (orgRoleInProjects), the agent key actions
// (key-scope.ts), the token scopes (token-scopes.ts), the organization rules (organization-access.ts),
// and who may see whom (workers/worker-visibility.ts, restated below from its documented rule).
import {
  actionScopes,
  type EffectPath,
  higherRole,
  type KeyAction,
  type ListedEffect,
  type OrganizationEffect,
  organizationEffects,
  organizationRules,
  orgRoleAllows,
  orgRoleInProjects,
  type PersonalEffect,
  type ProjectPermission,
  permissionKeyAction,
  personalEffects,
  roleAllows,
  type ScopedAction,
  taskTransitions,
} from "@taskflow/core";
import type { Caller, Subject, World } from "./world.ts";

type TaskStatus = keyof typeof taskTransitions;

const isOrganizationEffect = (action: ScopedAction): action is OrganizationEffect =>
  (organizationEffects as readonly string[]).includes(action);

const isPersonalEffect = (action: ScopedAction): action is PersonalEffect =>
  (personalEffects as readonly string[]).includes(action);

/** Whether the caller's token, if any, carries the scope the action needs. */
const scopeAllows = (caller: Caller, action: ScopedAction) =>
  caller.tokenScopes === null || caller.tokenScopes.includes(actionScopes[action]);

function projectAllows(
  world: World,
  caller: Caller,
  permission: ProjectPermission,
  projectId: string,
  keyAction?: KeyAction,
): boolean {
  if (caller.tenantId !== world.tenantOf(projectId) || !scopeAllows(caller, permission)) return false;
  const role = higherRole(
    world.membershipRole(caller.workerId, projectId),
    caller.orgRole ? orgRoleInProjects[caller.orgRole] : null,
  );
  if (!role || !roleAllows(role, permission)) return false;
  const key = caller.keyScope;
  if (!key) return true;
  if (key.projectIds && !key.projectIds.includes(projectId)) return false;
  return key.actions.includes(keyAction ?? permissionKeyAction[permission]);
}

/**
 * A person's own inbox (notifications/notification-access.ts): people only, with the token's scope, and only
 * notifications of a project they are a member of now (an organization role does not reach them).
 */
function personalAllows(world: World, caller: Caller, effect: PersonalEffect, projectId: string): boolean {
  if (caller.kind === "agent" || !scopeAllows(caller, effect)) return false;
  return (
    caller.tenantId === world.tenantOf(projectId) && world.membershipRole(caller.workerId, projectId) !== null
  );
}

function organizationAllows(caller: Caller, effect: OrganizationEffect): boolean {
  const rule = organizationRules[effect];
  if (!scopeAllows(caller, effect)) return false;
  if (caller.kind === "agent")
    return rule.keyAction !== null && (caller.keyScope?.actions ?? []).includes(rule.keyAction);
  if (caller.credential === "pat" && !rule.personalToken) return false;
  return orgRoleAllows(caller.orgRole, rule.orgRole);
}

/**
 * Whether a working credential may have everything `needs` names, in `projectId` for project permissions;
 * an agent key with `keyAction` instead of the permissions' own (the effect's, when it names one).
 */
export function allows(
  world: World,
  caller: Caller,
  needs: readonly ScopedAction[],
  projectId: string,
  keyAction?: KeyAction,
): boolean {
  if (!caller.valid) return false;
  return needs.every((action) =>
    isOrganizationEffect(action)
      ? organizationAllows(caller, action)
      : isPersonalEffect(action)
        ? personalAllows(world, caller, action, projectId)
        : projectAllows(world, caller, action, projectId, keyAction),
  );
}

/** The key action an effect needs instead of its permissions' own, if it names one (claiming: `claim`). */
export const keyActionOf = (effect: ListedEffect): KeyAction | undefined =>
  "keyAction" in effect ? effect.keyAction : undefined;

/**
 * What a path needs: its own needs, else its effect's; for a status change, what the transition table
 * says the move from `from` needs.
 */
export function needsOf(effect: ListedEffect, path: EffectPath, from?: TaskStatus): readonly ScopedAction[] {
  if (path.needs) return path.needs;
  if ("moves" in effect) {
    const moves: Partial<Record<string, ProjectPermission>> = taskTransitions[from ?? effect.moves.from[0]];
    const permission = moves[effect.moves.to];
    if (!permission) throw new Error(`${effect.name}: no move from ${from} to ${effect.moves.to}`);
    return [permission];
  }
  return effect.needs;
}

/**
 * How a caller who may see workers at all sees `subject` (workerVisibility's rule): people see every worker
 * of their organization, agents themselves and whoever shares a project with them within their key's
 * projects; a person's email address is seen by that person, the organization's owners and admins (signed
 * in) and people who share a project with them, never by an agent.
 */
export function sight(world: World, caller: Caller, subject: Subject): "hidden" | "seen" | "seen with email" {
  const self = subject.workerId === caller.workerId;
  // Nobody sees another organization's workers (the watched ones are the project's organization's, or the caller).
  if (!self && caller.tenantId !== world.tenantId) return "hidden";
  const keyProjects = caller.keyScope?.projectIds;
  const shared = world
    .projectsOf(caller.workerId)
    .filter((p) => world.projectsOf(subject.workerId).includes(p))
    .filter((p) => !keyProjects || keyProjects.includes(p));
  if (caller.kind === "agent") return self || shared.length > 0 ? "seen" : "hidden";
  const overseer = caller.orgRole === "owner" || caller.orgRole === "admin";
  const emailSeen = subject.kind === "person" && (self || overseer || shared.length > 0);
  return emailSeen ? "seen with email" : "seen";
}
