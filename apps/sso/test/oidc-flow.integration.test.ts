import { eq } from "drizzle-orm";
import { createRemoteJWKSet, decodeJwt, jwtVerify } from "jose";
import * as client from "openid-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as schema from "../src/db/schema.ts";
import { Browser, hiddenInput, startTestSso, type TestSso } from "./helpers.ts";

const API = "http://localhost:8000";
const MCP = "http://localhost:8001/mcp";
const ADMIN_EMAIL = "owner@example.test";
const ADMIN_PASSWORD = "correct horse battery staple";
const RP_ID = "third-party-rp";
const RP_SECRET = "rp-secret-0123456789abcdef";
const REDIRECT = "http://127.0.0.1:9/callback";
const LOGOUT_REDIRECT = "http://127.0.0.1:9/signed-out";

let sso: TestSso;
let config: client.Configuration;

beforeAll(async () => {
  sso = await startTestSso({
    ADMIN_EMAIL,
    ADMIN_PASSWORD,
    API_AUDIENCE: API,
    MCP_RESOURCE_URL: MCP,
    EXTRA_OAUTH_CLIENTS: JSON.stringify([
      {
        client_id: RP_ID,
        client_secret: RP_SECRET,
        client_name: "Third-party reporting tool",
        redirect_uris: [REDIRECT],
        post_logout_redirect_uris: [LOGOUT_REDIRECT],
        token_endpoint_auth_method: "client_secret_basic",
        application_type: "native",
      },
    ]),
  });
  config = await client.discovery(new URL(sso.url), RP_ID, undefined, client.ClientSecretBasic(RP_SECRET), {
    execute: [client.allowInsecureRequests],
  });
});

afterAll(async () => {
  await sso?.close();
});

/** Drives the browser side of an authorization request; returns the redirect back to the client. */
async function authorize(browser: Browser, parameters: Record<string, string>): Promise<string> {
  const start = await browser.follow(client.buildAuthorizationUrl(config, parameters), sso.url);
  expect(new URL(start.url).pathname).toBe("/sign-in");
  const signInPage = await start.response.text();
  const oauthQuery = hiddenInput(signInPage, "oauth_query");
  expect(oauthQuery).toBeTruthy();
  const signedIn = await browser.submit(`${sso.url}/sign-in`, {
    email: ADMIN_EMAIL,
    password: ADMIN_PASSWORD,
    oauth_query: oauthQuery ?? "",
  });
  expect(signedIn.status).toBe(303);
  const consent = await browser.follow(new URL(signedIn.headers.get("location") ?? "", sso.url), sso.url);
  expect(new URL(consent.url).pathname).toBe("/consent");
  const consentPage = await consent.response.text();
  expect(consentPage).toContain("Third-party reporting tool");
  expect(consentPage).toContain("taskflow:read");
  const accepted = await browser.submit(`${sso.url}/consent`, {
    accept: "yes",
    oauth_query: hiddenInput(consentPage, "oauth_query") ?? "",
  });
  expect(accepted.status).toBe(303);
  const back = accepted.headers.get("location") ?? "";
  expect(back.startsWith(REDIRECT)).toBe(true);
  return back;
}

describe("authorization code + PKCE with openid-client", () => {
  it("publishes discovery at the issuer and the RFC 8414 path", async () => {
    const metadata = config.serverMetadata();
    expect(metadata.issuer).toBe(sso.issuer);
    expect(metadata.jwks_uri).toBe(sso.jwksUrl);
    expect(metadata.code_challenge_methods_supported).toContain("S256");
    const rfc8414 = await fetch(`${sso.url}/.well-known/oauth-authorization-server`);
    expect(rfc8414.status).toBe(200);
    expect(((await rfc8414.json()) as { issuer: string }).issuer).toBe(sso.issuer);
  });

  it("runs login, consent, code, tokens, userinfo, refresh rotation, reuse rejection and logout", async () => {
    const browser = new Browser();
    const verifier = client.randomPKCECodeVerifier();
    const state = client.randomState();
    const nonce = client.randomNonce();
    const callback = await authorize(browser, {
      redirect_uri: REDIRECT,
      scope: "openid profile email offline_access taskflow:read taskflow:write",
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: "S256",
      state,
      nonce,
      resource: API,
    });

    const tokens = await client.authorizationCodeGrant(
      config,
      new URL(callback),
      { pkceCodeVerifier: verifier, expectedState: state, expectedNonce: nonce },
      { resource: API },
    );
    expect(tokens.refresh_token).toBeTruthy();
    const idClaims = tokens.claims();
    expect(idClaims?.iss).toBe(sso.issuer);

    // The access token is a JWT for the API, verifiable against the published keys.
    const jwks = createRemoteJWKSet(new URL(sso.jwksUrl));
    const { payload, protectedHeader } = await jwtVerify(tokens.access_token, jwks, {
      issuer: sso.issuer,
      audience: API,
    });
    expect(protectedHeader.alg).toBe("RS256");
    const [admin] = await sso.sso.database.db
      .select()
      .from(schema.user)
      .where(eq(schema.user.email, ADMIN_EMAIL));
    const memberships = await sso.sso.database.db
      .select()
      .from(schema.member)
      .where(eq(schema.member.userId, admin?.id ?? ""));
    expect(memberships).toHaveLength(1);
    expect(payload.sub).toBe(admin?.id);
    expect(payload.org_id).toBe(memberships[0]?.organizationId);
    expect(payload.org_role).toBe("owner");
    expect(payload.email).toBe(ADMIN_EMAIL);
    expect(payload.name).toBe("Administrator");
    expect(payload.client_id).toBe(RP_ID);
    expect(payload.azp).toBe(RP_ID);
    expect(String(payload.scope).split(" ")).toEqual(
      expect.arrayContaining(["openid", "taskflow:read", "taskflow:write"]),
    );
    // A token for the API is not a token for the MCP server.
    await expect(
      jwtVerify(tokens.access_token, jwks, { issuer: sso.issuer, audience: MCP }),
    ).rejects.toThrow();

    const userinfo = await client.fetchUserInfo(config, tokens.access_token, String(payload.sub));
    expect(userinfo.email).toBe(ADMIN_EMAIL);

    // Refresh rotates the refresh token; the old one is then refused.
    const refreshed = await client.refreshTokenGrant(config, tokens.refresh_token ?? "", { resource: API });
    expect(refreshed.refresh_token).toBeTruthy();
    expect(refreshed.refresh_token).not.toBe(tokens.refresh_token);
    const again = await jwtVerify(refreshed.access_token, jwks, { issuer: sso.issuer, audience: API });
    expect(again.payload.org_id).toBe(payload.org_id);
    expect(again.payload.org_role).toBe("owner");
    await expect(
      client.refreshTokenGrant(config, tokens.refresh_token ?? "", { resource: API }),
    ).rejects.toMatchObject({
      error: "invalid_grant",
    });
    // Reuse means theft: the whole token family is revoked, the newest refresh token included.
    await expect(
      client.refreshTokenGrant(config, refreshed.refresh_token ?? "", { resource: API }),
    ).rejects.toMatchObject({ error: "invalid_grant" });

    // RP-initiated logout ends the SSO session and returns to the registered URI.
    const logout = await browser.follow(
      client.buildEndSessionUrl(config, {
        id_token_hint: tokens.id_token ?? "",
        post_logout_redirect_uri: LOGOUT_REDIRECT,
      }),
      sso.url,
    );
    expect(logout.url.startsWith(LOGOUT_REDIRECT)).toBe(true);
    const session = await browser.fetch(`${sso.url}/api/auth/get-session`);
    expect(await session.json()).toBeNull();
  });

  it("registers an MCP client dynamically (public, PKCE) and issues it tokens for the MCP server only", async () => {
    const registered = await client.dynamicClientRegistration(
      new URL(sso.url),
      {
        client_name: "Some MCP client",
        redirect_uris: ["http://127.0.0.1:33418/oauth/callback"],
        token_endpoint_auth_method: "none",
        grant_types: ["authorization_code", "refresh_token"],
        response_types: ["code"],
      },
      client.None(),
      { execute: [client.allowInsecureRequests] },
    );
    const metadata = registered.clientMetadata();
    expect(metadata.client_id).toBeTruthy();
    expect(metadata.client_secret).toBeUndefined();

    const browser = new Browser();
    const verifier = client.randomPKCECodeVerifier();
    const state = client.randomState();
    const start = await browser.follow(
      client.buildAuthorizationUrl(registered, {
        redirect_uri: "http://127.0.0.1:33418/oauth/callback",
        scope: "openid taskflow:read",
        code_challenge: await client.calculatePKCECodeChallenge(verifier),
        code_challenge_method: "S256",
        state,
        resource: MCP,
      }),
      sso.url,
    );
    const signedIn = await browser.submit(`${sso.url}/sign-in`, {
      email: ADMIN_EMAIL,
      password: ADMIN_PASSWORD,
      oauth_query: hiddenInput(await start.response.text(), "oauth_query") ?? "",
    });
    const consent = await browser.follow(new URL(signedIn.headers.get("location") ?? "", sso.url), sso.url);
    expect(await consent.response.clone().text()).toContain("Some MCP client");
    const accepted = await browser.submit(`${sso.url}/consent`, {
      accept: "yes",
      oauth_query: hiddenInput(await consent.response.text(), "oauth_query") ?? "",
    });
    const tokens = await client.authorizationCodeGrant(
      registered,
      new URL(accepted.headers.get("location") ?? ""),
      { pkceCodeVerifier: verifier, expectedState: state },
      { resource: MCP },
    );
    const jwks = createRemoteJWKSet(new URL(sso.jwksUrl));
    const { payload } = await jwtVerify(tokens.access_token, jwks, { issuer: sso.issuer, audience: MCP });
    expect(payload.org_role).toBe("owner");
    await expect(
      jwtVerify(tokens.access_token, jwks, { issuer: sso.issuer, audience: API }),
    ).rejects.toThrow();
    // A dynamically registered client is not linked to the API: asking for it is refused.
    await expect(
      client.refreshTokenGrant(registered, tokens.refresh_token ?? "", { resource: API }),
    ).rejects.toBeTruthy();
  });

  it("issues MCP-audience tokens when the MCP resource is requested", async () => {
    const browser = new Browser();
    const verifier = client.randomPKCECodeVerifier();
    const state = client.randomState();
    const callback = await authorize(browser, {
      redirect_uri: REDIRECT,
      scope: "openid taskflow:read",
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: "S256",
      state,
      resource: MCP,
    });
    const tokens = await client.authorizationCodeGrant(
      config,
      new URL(callback),
      { pkceCodeVerifier: verifier, expectedState: state },
      { resource: MCP },
    );
    const claims = decodeJwt(tokens.access_token);
    const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
    expect(audiences).toContain(MCP);
    expect(audiences).not.toContain(API);
  });
});
