import { type Actor, storedCredentialExpiresAt, type TaskflowDb } from "@taskflow/core";
import { decodeJwt } from "jose";

/**
 * When the credential a live stream was opened with stops being valid: an agent key's or a personal access
 * token's `expires_at`, an SSO access token's `exp` (read from the token the caller's request has just had
 * verified). Undefined for one that names no end; re-deciding refuses it within the bound once it is not
 * accepted. Both resource servers' streams (the API's SSE, the MCP server's `subscriptions/listen`) end there.
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
