// The dashboard as a confidential OIDC client of the SSO (authorization code + PKCE S256, client_secret_basic).
// Discovery is read from SSO_INTERNAL_URL; the browser-facing endpoints keep the issuer's public address while
// the server-to-server ones (token, JWKS, userinfo, revocation) are rewritten to the internal address.
import { decodeJwt } from "jose";
import * as oidc from "openid-client";
import { config, type WebConfig } from "@/env";
import type { PendingLogin, Session } from "./session-crypto";

/** `organizations`: the SSO's userinfo then lists the person's organizations (the organization page's picker). */
export const scopes =
  "openid profile email offline_access taskflow:read taskflow:write taskflow:manage organizations";

let discovered: Promise<oidc.Configuration> | undefined;

/** Rewrites a URL under the public issuer to the internal address. */
export function toInternal(url: string | undefined, issuer: string, internal: string): string | undefined {
  if (!url || issuer === internal) return url;
  return url.startsWith(issuer) ? internal + url.slice(issuer.length) : url;
}

export async function discover(cfg: WebConfig): Promise<oidc.Configuration> {
  const response = await fetch(`${cfg.ssoInternalUrl}/.well-known/openid-configuration`, {
    signal: AbortSignal.timeout(10_000),
  });
  if (!response.ok) throw new Error(`SSO discovery answered ${response.status}`);
  const metadata = (await response.json()) as oidc.ServerMetadata;
  if (metadata.issuer !== cfg.ssoIssuer) {
    throw new Error(`SSO issuer is ${metadata.issuer}, but SSO_ISSUER is ${cfg.ssoIssuer}`);
  }
  const internal = (url: string | undefined) => toInternal(url, cfg.ssoIssuer, cfg.ssoInternalUrl);
  const server: oidc.ServerMetadata = {
    ...metadata,
    token_endpoint: internal(metadata.token_endpoint),
    jwks_uri: internal(metadata.jwks_uri),
    userinfo_endpoint: internal(metadata.userinfo_endpoint),
    revocation_endpoint: internal(metadata.revocation_endpoint),
  };
  const client = new oidc.Configuration(server, cfg.clientId, {}, oidc.ClientSecretBasic(cfg.clientSecret));
  // A slow SSO must not hold a page or a sign-out for openid-client's default 30 s.
  client.timeout = 10;
  if (cfg.ssoInternalUrl.startsWith("http://") || cfg.ssoIssuer.startsWith("http://")) {
    oidc.allowInsecureRequests(client);
  }
  return client;
}

export function oidcClient(): Promise<oidc.Configuration> {
  discovered ??= discover(config()).catch((error: unknown) => {
    discovered = undefined;
    throw error;
  });
  return discovered;
}

/**
 * The authorization parameter naming the organization a person switches to. The SSO makes it the active
 * organization of its session when the person belongs to it, so the new tokens carry it; otherwise it keeps
 * the session's (README "Switching organization").
 */
export const organizationParameter = "organization_id";

/** Starts a sign-in: the authorization URL and the checks to keep (sealed) until the callback. */
export async function startLogin(
  client: oidc.Configuration,
  cfg: WebConfig,
  returnTo: string,
  organizationId?: string,
): Promise<{ url: URL; pending: PendingLogin }> {
  const codeVerifier = oidc.randomPKCECodeVerifier();
  const pending: PendingLogin = {
    codeVerifier,
    state: oidc.randomState(),
    nonce: oidc.randomNonce(),
    returnTo,
  };
  const url = oidc.buildAuthorizationUrl(client, {
    redirect_uri: cfg.redirectUri,
    scope: scopes,
    response_type: "code",
    code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: "S256",
    state: pending.state,
    nonce: pending.nonce,
    resource: cfg.apiAudience,
    ...(organizationId ? { [organizationParameter]: organizationId } : {}),
  });
  return { url, pending };
}

function toSession(
  tokens: oidc.TokenEndpointResponse & oidc.TokenEndpointResponseHelpers,
  previous?: Session,
) {
  // Who signed in: the checked ID token, else the access token's claims (for display only), else as before.
  const claims: Record<string, unknown> = {
    ...accessTokenClaims(tokens.access_token),
    ...(tokens.claims() ?? {}),
  };
  const expiresIn = tokens.expiresIn() ?? 300;
  const sub = typeof claims.sub === "string" ? claims.sub : (previous?.user.sub ?? "");
  const name = typeof claims.name === "string" && claims.name ? claims.name : previous?.user.name;
  const email = typeof claims.email === "string" ? claims.email : previous?.user.email;
  const session: Session = {
    accessToken: tokens.access_token,
    expiresAt: Math.floor(Date.now() / 1000) + expiresIn,
    user: { sub, ...(name ? { name } : {}), ...(email ? { email } : {}) },
  };
  const refreshToken = tokens.refresh_token ?? previous?.refreshToken;
  if (refreshToken) session.refreshToken = refreshToken;
  const idToken = tokens.id_token ?? previous?.idToken;
  if (idToken) session.idToken = idToken;
  return session;
}

/**
 * Finishes a sign-in: checks state (and the issuer), exchanges the code with the PKCE verifier,
 * checks the ID token and its nonce. Throws on any mismatch.
 */
export async function finishLogin(
  client: oidc.Configuration,
  cfg: WebConfig,
  callbackUrl: URL,
  pending: PendingLogin,
): Promise<Session> {
  const tokens = await oidc.authorizationCodeGrant(
    client,
    callbackUrl,
    {
      pkceCodeVerifier: pending.codeVerifier,
      expectedState: pending.state,
      expectedNonce: pending.nonce,
      idTokenExpected: true,
    },
    { redirect_uri: cfg.redirectUri, resource: cfg.apiAudience },
  );
  return toSession(tokens);
}

function accessTokenClaims(token: string): Record<string, unknown> {
  try {
    return decodeJwt(token);
  } catch {
    return {};
  }
}

const refreshing = new Map<string, Promise<Session>>();

/**
 * A new access token from the refresh token. Refresh tokens rotate and a reused one revokes the whole
 * family, so concurrent requests of this process share one refresh (and its result for a minute).
 */
export function refreshSession(
  client: oidc.Configuration,
  cfg: WebConfig,
  session: Session,
): Promise<Session> {
  const refreshToken = session.refreshToken;
  if (!refreshToken) return Promise.reject(new Error("no refresh token"));
  let running = refreshing.get(refreshToken);
  if (!running) {
    running = oidc
      .refreshTokenGrant(client, refreshToken, { resource: cfg.apiAudience })
      .then((tokens) => toSession(tokens, session));
    refreshing.set(refreshToken, running);
    const forget = () => setTimeout(() => refreshing.delete(refreshToken), 60_000).unref();
    running.then(forget, () => refreshing.delete(refreshToken));
  }
  return running;
}

/**
 * Revokes a refresh token at the SSO (RFC 7009, the discovery's revocation_endpoint), so it can mint no more
 * access tokens once the session it belonged to is over. Throws when the SSO refuses or cannot be reached.
 */
export async function revokeRefreshToken(client: oidc.Configuration, refreshToken: string): Promise<void> {
  if (!client.serverMetadata().revocation_endpoint)
    throw new Error("the SSO publishes no revocation_endpoint");
  await oidc.tokenRevocation(client, refreshToken, { token_type_hint: "refresh_token" });
}

export function endSessionUrl(client: oidc.Configuration, cfg: WebConfig, idToken?: string): URL | undefined {
  if (!client.serverMetadata().end_session_endpoint) return undefined;
  return oidc.buildEndSessionUrl(client, {
    post_logout_redirect_uri: `${cfg.publicUrl}/`,
    ...(idToken ? { id_token_hint: idToken } : {}),
  });
}
