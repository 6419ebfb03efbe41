import type { Actor } from "../actor.ts";
import { authorizeOrganizationEffect } from "../authorization/organization-access.ts";

/**
 * Agents belong to the organization, not to a project: its owners and admins register and manage
 * them (with a token that has `taskflow:manage`; reading them needs `taskflow:read`). Other people
 * and agents themselves are refused.
 */
export function authorizeAgentManagement(actor: Actor, use: "read" | "manage" = "manage"): void {
  authorizeOrganizationEffect(actor, use === "read" ? "agent.read" : "agent.manage");
}
