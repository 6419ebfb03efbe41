// Signing out, the part that talks to the SSO: the refresh token is revoked first (so the session cannot live on
// in a copied cookie or a refresh in flight), then the browser goes to the SSO's end-session endpoint
// (RP-initiated logout), which ends the SSO's own session. The caller clears the session cookie in between.
import type * as oidc from "openid-client";
import type { WebConfig } from "@/env";
import { endSessionUrl, revokeRefreshToken } from "./oidc";
import type { Session } from "./session-crypto";

export interface SignOutOutcome {
  /** Where to send the browser: the SSO's end-session URL, or the dashboard's home when the SSO has none. */
  target: URL;
  /** False when the SSO could not revoke the refresh token (it then expires on its own, unused). */
  revoked: boolean;
}

export async function signOut(
  client: oidc.Configuration,
  cfg: WebConfig,
  session: Session | undefined,
): Promise<SignOutOutcome> {
  let revoked = true;
  if (session?.refreshToken) {
    try {
      await revokeRefreshToken(client, session.refreshToken);
    } catch {
      // The local session still ends; the person is not kept signed in because the SSO is slow or down.
      revoked = false;
    }
  }
  return { target: endSessionUrl(client, cfg, session?.idToken) ?? new URL("/", cfg.publicUrl), revoked };
}
