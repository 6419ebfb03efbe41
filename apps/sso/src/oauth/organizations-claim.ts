// Userinfo's `organizations` claim: every organization the person belongs to, `[{ id, name, role }]`, so a
// client can offer a switch between them (the dashboard's organization page). Only for tokens granted the
// `organizations` scope: names of a person's organizations are not something every client needs, and clients
// that register themselves (MCP clients) cannot ask for it (auth.ts: clientRegistrationAllowedScopes).
import type { SsoDatabase } from "../auth.ts";
import { organizationsOf } from "../domain/memberships.ts";

export const ORGANIZATIONS_SCOPE = "organizations";
export const ORGANIZATIONS_CLAIM = "organizations";

export async function organizationsClaim(
  db: SsoDatabase,
  userId: string,
  scopes: readonly string[],
): Promise<Record<string, unknown>> {
  if (!scopes.includes(ORGANIZATIONS_SCOPE)) return {};
  return { [ORGANIZATIONS_CLAIM]: await organizationsOf(db, userId) };
}
