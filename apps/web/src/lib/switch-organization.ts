// Switching organization: the organization is a claim of the access token, fixed when the SSO authorized the
// dashboard, so switching means a new authorization (silent: the SSO session exists and the dashboard is a
// trusted client). The old refresh token is revoked first, so it cannot go on minting tokens for the old
// organization, and before the new grant is made (a stale one would take the new grant down with it).
import type * as oidc from "openid-client";
import type { WebConfig } from "@/env";
import { revokeRefreshToken, startLogin } from "./oidc";
import type { PendingLogin, Session } from "./session-crypto";
import { orgClaims } from "./token-claims";

/** Organization ids as the SSO makes them (UUIDs or Better Auth ids): a short run of safe characters. */
export const organizationIdPattern = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * Where the callback lands: the organization page, told which organization the person came from and which one
 * they asked for, so it can say when the SSO authorized another one.
 */
export function switchedReturnTo(previousOrgId: string | undefined, chosenOrgId: string | undefined): string {
  const query = new URLSearchParams({ switched: "1" });
  if (previousOrgId) query.set("from", previousOrgId);
  if (chosenOrgId) query.set("to", chosenOrgId);
  return `/organization?${query}`;
}

export async function switchOrganization(
  client: oidc.Configuration,
  cfg: WebConfig,
  session: Session | undefined,
  organizationId?: string,
): Promise<{ url: URL; pending: PendingLogin }> {
  if (organizationId !== undefined && !organizationIdPattern.test(organizationId)) {
    throw new Error("not an organization id");
  }
  if (session?.refreshToken) {
    // Best effort: an SSO that cannot revoke now cannot authorize either, and the person sees that next.
    await revokeRefreshToken(client, session.refreshToken).catch(() => undefined);
  }
  const from = session ? orgClaims(session.accessToken).orgId : undefined;
  return startLogin(client, cfg, switchedReturnTo(from, organizationId), organizationId);
}
