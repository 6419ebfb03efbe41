import type { Actor, OrgRole } from "../actor.ts";
import { forbidden } from "../errors.ts";
import type { KeyAction } from "./key-scope.ts";
import { assertTokenScopeAllows, type OrganizationEffect } from "./token-scopes.ts";

interface OrganizationRule {
  /** The organization role a person needs. */
  orgRole: OrgRole;
  /** The action an agent key needs; null: agents never. */
  keyAction: KeyAction | null;
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
    refusal: "agents cannot create projects; a person creates one and adds the agent",
  },
  "worker.read": {
    orgRole: "member",
    keyAction: "read",
    refusal: "seeing people and agents needs the read scope",
  },
  "agent.read": {
    orgRole: "admin",
    keyAction: null,
    refusal: "only the organization's owners and admins manage agents and their keys",
  },
  "agent.manage": {
    orgRole: "admin",
    keyAction: null,
    refusal: "only the organization's owners and admins manage agents and their keys",
  },
};

const orgRank: Record<OrgRole, number> = { member: 1, admin: 2, owner: 3 };

/**
 * Decides an effect outside any one project for any caller: the token's scope first (it reads only
 * the token), then the person's organization role, or the agent key's action.
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
  if (!actor.orgRole || orgRank[actor.orgRole] < orgRank[rule.orgRole]) throw forbidden(rule.refusal);
}
