// The authorization endpoint's `organization_id` parameter: the dashboard's one-click "Switch to …". The
// organization is a claim of every access token (org_id, org_role), taken from the authorization's
// reference id, which is the active organization of the SSO session. When the request names an organization
// the signed-in person belongs to, that organization becomes the session's active one and the authorization's
// reference id, so the code, its tokens and their refreshes carry it. Any other value (an organization they do
// not belong to, a repeated or malformed parameter) is ignored: the authorization goes on in the session's
// active organization, never in the named one. Only first-party clients (seeded as trusted: they skip consent)
// may name one: the switch changes the session's active organization, which every client's next authorization
// inherits, and a link from a third-party client must not do that behind the person's back.
//
// It runs from the oauth-provider's `postLogin.consentReferenceId`, which the provider calls on every path that
// issues a code (straight from /oauth2/authorize, after the sign-in page, after consent), with the request's
// authorization query in its request state.
import { getOAuthProviderState } from "@better-auth/oauth-provider";
import { eq } from "drizzle-orm";
import type { SsoDatabase } from "../auth.ts";
import * as schema from "../db/schema.ts";
import { membershipIn, setActiveOrganization } from "../domain/memberships.ts";
import type { Logger } from "../logger.ts";

export const ORGANIZATION_PARAMETER = "organization_id";

/** Ids as Better Auth and our seeding make them (UUIDs); anything else is not looked up. */
const ORGANIZATION_ID = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * The organization named by the authorization request in progress, when it names exactly one well-formed id,
 * and the client that asks.
 */
export async function requestedOrganization(): Promise<
  { organizationId: string; clientId: string } | undefined
> {
  const state = await getOAuthProviderState();
  if (!state?.query) return undefined;
  const query = new URLSearchParams(state.query);
  const values = query.getAll(ORGANIZATION_PARAMETER);
  const [only] = values;
  const clientId = query.get("client_id");
  if (values.length !== 1 || !only || !ORGANIZATION_ID.test(only) || !clientId) return undefined;
  return { organizationId: only, clientId };
}

/** A first-party client: seeded as trusted, it skips the consent page. */
async function isFirstParty(db: SsoDatabase, clientId: string): Promise<boolean> {
  const [client] = await db
    .select({ skipConsent: schema.oauthClient.skipConsent })
    .from(schema.oauthClient)
    .where(eq(schema.oauthClient.clientId, clientId))
    .limit(1);
  return client?.skipConsent === true;
}

/**
 * The organization this authorization is for: the requested one when the person is a member of it (made the
 * session's active organization first), else the session's active organization.
 */
export async function organizationForAuthorization(
  db: SsoDatabase,
  logger: Logger,
  user: { id: string } | undefined,
  session: { id: string; activeOrganizationId?: string | null } | undefined,
): Promise<string | undefined> {
  const active = session?.activeOrganizationId ?? undefined;
  const request = await requestedOrganization();
  if (!request || !user || !session || request.organizationId === active) return active;
  const { organizationId, clientId } = request;
  if (!(await isFirstParty(db, clientId))) {
    logger.debug("organization_id ignored: not a first-party client", { organizationId, clientId });
    return active;
  }
  const membership = await membershipIn(db, user.id, organizationId);
  if (!membership) {
    // Someone asked for an organization they are not in: the authorization stays in their own.
    logger.debug("organization_id ignored: not a member", { organizationId });
    return active;
  }
  await setActiveOrganization(db, session.id, organizationId);
  return organizationId;
}
