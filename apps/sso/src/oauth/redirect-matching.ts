import { eq } from "drizzle-orm";
import type { SsoDatabase } from "../auth.ts";
import * as schema from "../db/schema.ts";

/**
 * Whether an authorization request's `redirect_uri` may be used by this client. The provider lets
 * the port of any loopback redirect vary (RFC 8252 §7.3), for every client: the dashboard's code,
 * registered for `http://localhost:3000/api/auth/callback`, would then go to whatever listens on
 * `http://localhost:4567/api/auth/callback`. Port freedom exists because a native app cannot know
 * which port it will get; only a public native client is such an app. Every other client (the
 * dashboard and other confidential clients, web clients) must name a registered URI exactly.
 * Undefined client or parameters: the provider answers those itself.
 */
export async function redirectUriAllowed(
  db: SsoDatabase,
  clientId: unknown,
  redirectUri: unknown,
): Promise<boolean> {
  if (typeof clientId !== "string" || typeof redirectUri !== "string") return true;
  const [client] = await db
    .select({
      redirectUris: schema.oauthClient.redirectUris,
      authMethod: schema.oauthClient.tokenEndpointAuthMethod,
      applicationType: schema.oauthClient.applicationType,
    })
    .from(schema.oauthClient)
    .where(eq(schema.oauthClient.clientId, clientId))
    .limit(1);
  if (!client) return true;
  const publicNative = client.authMethod === "none" && client.applicationType === "native";
  return publicNative || client.redirectUris.includes(redirectUri);
}
