import type { Actor, OrgRole } from "../actor.ts";
import { forbidden } from "../errors.ts";
import type { KeyAction } from "./key-scope.ts";
import { assertTokenScopeAllows, type OrganizationEffect } from "./token-scopes.ts";

interface OrganizationRule {
  /** The organization role a person needs. */
  orgRole: OrgRole;
  /** The action an agent key needs; null: agents never. */
  keyAction: KeyAction | null;
  /** Whether a personal access token may be used for it (never to manage such tokens: no self-widening). */
  personalToken: boolean;
  /** Why it is refused, for whoever is refused. */
  refusal: string;
}

/**
 * Who may have each effect outside a project: the counterpart of the project role table
 * (permissions.ts), read together with the token scopes (token-scopes.ts).
 */
export const organizationRules: Record<OrganizationEffect, OrganizationRule> = {
  "project.create": {
    orgRole: "member",
    keyAction: null,
    personalToken: true,
    refusal: "agents cannot create projects; a person creates one and adds the agent",
  },
  "worker.read": {
    orgRole: "member",
    keyAction: "read",
    personalToken: true,
    refusal: "seeing people and agents needs the read scope",
  },
  "agent.read": {
    orgRole: "admin",
    keyAction: null,
    personalToken: true,
    refusal: "only the organization's owners and admins manage agents and their keys",
  },
  "agent.manage": {
    orgRole: "admin",
    keyAction: null,
    personalToken: true,
    refusal: "only the organization's owners and admins manage agents and their keys",
  },
  "personal_token.read": {
    orgRole: "member",
    keyAction: null,
    personalToken: false,
    refusal: "personal access tokens are managed by their person, signed in, never with such a token",
  },
  "personal_token.manage": {
    orgRole: "member",
    keyAction: null,
    personalToken: false,
    refusal: "personal access tokens are managed by their person, signed in, never with such a token",
  },
};

const orgRank: Record<OrgRole, number> = { member: 1, admin: 2, owner: 3 };

/** Whether an organization role is `needed` or above (owner > admin > member). */
export function orgRoleAllows(role: OrgRole | null, needed: OrgRole): boolean {
  return role !== null && orgRank[role] >= orgRank[needed];
}

/**
 * Decides an effect outside any one project for any caller: the token's scope first (it reads only
 * the token), then the person's organization role (and whether a personal access token may serve), or
 * the agent key's action.
 */
export function authorizeOrganizationEffect(actor: Actor, effect: OrganizationEffect): void {
  const rule = organizationRules[effect];
  assertTokenScopeAllows(actor, effect);
  if (actor.type === "agent") {
    const actions = actor.keyScope?.actions ?? [];
    if (rule.keyAction === null) throw forbidden(rule.refusal);
    if (!actions.includes(rule.keyAction)) {
      throw forbidden(
        `this API key lacks the "${rule.keyAction}" scope (it has: ${actions.join(", ") || "none"}); ${rule.refusal}`,
      );
    }
    return;
  }
  if (actor.personalTokenId && !rule.personalToken) throw forbidden(rule.refusal);
  if (!orgRoleAllows(actor.orgRole, rule.orgRole)) throw forbidden(rule.refusal);
}
