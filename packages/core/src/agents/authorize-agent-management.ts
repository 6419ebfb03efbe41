import type { Actor } from "../actor.ts";
import { forbidden } from "../errors.ts";

/**
 * Agents belong to the organization, not to a project: its owners and admins register and manage
 * them. Other people and agents themselves are refused.
 */
export function authorizeAgentManagement(actor: Actor): void {
  if (actor.type !== "human" || (actor.orgRole !== "owner" && actor.orgRole !== "admin"))
    throw forbidden("only the organization's owners and admins manage agents and their keys");
}
