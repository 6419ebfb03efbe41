import { authorizeProjectEvents, type TaskflowDb } from "@taskflow/core";
import { type AccessTokenVerifier, type BearerOptions, resolveBearer } from "@taskflow/resource-auth";

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

/** When the credential a stream was opened with stops being valid (shared with the MCP server's listens). */
export { credentialExpiresAt } from "@taskflow/resource-auth";
