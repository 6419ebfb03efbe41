import {
  type Actor,
  authorizeProjectEvents,
  storedCredentialExpiresAt,
  type TaskflowDb,
} from "@taskflow/core";
import { type AccessTokenVerifier, type BearerOptions, resolveBearer } from "@taskflow/resource-auth";
import { decodeJwt } from "jose";

/** What a stream needs to decide again, while it lives, as the request that opened it was decided. */
export interface StreamCredentials {
  verifyAccessToken: AccessTokenVerifier;
  dashboardClientId: string;
  /** The SSO's revocation feed, as the authenticate middleware is given it (a banned person). */
  isSubjectRevoked?: BearerOptions["isSubjectRevoked"] | undefined;
}

/**
 * The decision a stream repeats: the `Authorization` it was opened with is resolved again, exactly as the
 * API's authenticate middleware resolves it (a revoked or expired key, a deleted agent, an expired token
 * fail there), then authorizeProjectEvents, the one rule for receiving a project's events.
 */
export function reauthorizer(
  db: TaskflowDb,
  credentials: StreamCredentials,
  authorization: string | undefined,
  projectId: string,
): () => Promise<void> {
  return async () => {
    const { actor } = await resolveBearer(db, authorization, {
      verifyToken: credentials.verifyAccessToken,
      channel: "api",
      dashboardClientId: credentials.dashboardClientId,
      ...(credentials.isSubjectRevoked ? { isSubjectRevoked: credentials.isSubjectRevoked } : {}),
    });
    await authorizeProjectEvents(db, actor, projectId);
  };
}

/**
 * When the credential the stream was opened with stops being valid: an agent key's or a personal access
 * token's `expires_at`, an SSO access token's `exp` (read from the token the middleware has just verified).
 * Undefined for one that names no end; re-deciding refuses it within the bound once it is not accepted.
 */
export async function credentialExpiresAt(
  db: TaskflowDb,
  actor: Actor,
  authorization: string | undefined,
): Promise<Date | undefined> {
  const stored = await storedCredentialExpiresAt(db, actor);
  if (stored !== undefined) return stored ?? undefined;
  const token = /^Bearer[ ]+(\S+)$/i.exec(authorization ?? "")?.[1];
  if (!token) return undefined;
  try {
    const { exp } = decodeJwt(token);
    return typeof exp === "number" ? new Date(exp * 1000) : undefined;
  } catch {
    return undefined;
  }
}
