import {
  type Actor,
  agentKeyPrefix,
  authenticateAgentKey,
  authenticatePersonalToken,
  personalTokenPrefix,
  resolveHumanActor,
  revokePersonalTokensOfSubject,
  type TaskflowDb,
  unauthenticated,
} from "@taskflow/core";
import {
  type AccessTokenClaims,
  type AccessTokenVerifier,
  InvalidTokenError,
} from "./access-token-verifier.ts";

export interface BearerOptions {
  verifyToken: AccessTokenVerifier;
  /** The transport the request came through: `api` or `mcp`. */
  channel: Exclude<Actor["channel"], "web">;
  /** Tokens obtained by this OAuth client are audited with channel `web` (the dashboard). */
  dashboardClientId?: string;
  /**
   * Whether the SSO voided a person's credentials issued before `issuedAt` (seconds): a ban, a deleted
   * account (the SSO's revocation feed). A personal access token of such a person is revoked for good.
   */
  isSubjectRevoked?: (sub: string, issuedAt: number) => boolean;
}

export interface ResolvedCaller {
  actor: Actor;
  /** The verified token's claims; absent for agent API keys and personal access tokens. */
  claims?: AccessTokenClaims;
}

/**
 * `Authorization: Bearer …` → the acting worker: an agent API key (`tf_…`), a person's personal access
 * token (`tfp_…`, channel `pat` whatever the transport) or an SSO access token.
 */
export async function resolveBearer(
  db: TaskflowDb,
  authorization: string | undefined,
  options: BearerOptions,
): Promise<ResolvedCaller> {
  const match = /^Bearer[ ]+(\S+)$/i.exec(authorization ?? "");
  if (!match?.[1])
    throw unauthenticated(
      "send `Authorization: Bearer <access token, personal access token or agent API key>`",
    );
  const credential = match[1];
  if (credential.startsWith(agentKeyPrefix)) {
    return { actor: await authenticateAgentKey(db, credential, options.channel) };
  }
  if (credential.startsWith(personalTokenPrefix)) {
    const { actor, userId, issuedAt } = await authenticatePersonalToken(db, credential);
    if (options.isSubjectRevoked?.(userId, Math.floor(issuedAt.getTime() / 1000))) {
      // The SSO lists a voided person only while its own tokens live: made to last, in the database, for
      // this token and the person's older ones (all voided too; the feed says no more than that).
      await revokePersonalTokensOfSubject(db, userId, new Date(issuedAt.getTime() + 1));
      throw unauthenticated("invalid personal access token");
    }
    return { actor };
  }
  let claims: AccessTokenClaims;
  try {
    claims = await options.verifyToken(credential);
  } catch (error) {
    if (error instanceof InvalidTokenError) throw unauthenticated(error.message);
    throw error;
  }
  const viaDashboard =
    options.dashboardClientId !== undefined && claims.clientId === options.dashboardClientId;
  const actor = await resolveHumanActor(db, {
    tenantId: claims.tenantId,
    userId: claims.userId,
    orgRole: claims.orgRole,
    email: claims.email,
    name: claims.name,
    channel: viaDashboard ? "web" : options.channel,
    scopes: claims.scopes,
  });
  return { actor, claims };
}
