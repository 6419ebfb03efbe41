import { createHash, randomBytes } from "node:crypto";
import { like } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as schema from "../src/db/schema.ts";
import { Browser, exchangeCode, startTestSso, type TestSso } from "./helpers.ts";

const API = "http://localhost:8000";
const ADMIN_EMAIL = "admin@example.test";
const ADMIN_PASSWORD = "a long admin passphrase";
const DASHBOARD_ID = "dashboard";
const DASHBOARD_SECRET = "dashboard-secret-0123456789";
const DASHBOARD_REDIRECT = "http://127.0.0.1:9/api/auth/callback";
const PUBLIC_ID = "cli-public";
const PUBLIC_REDIRECT = "http://127.0.0.1:9/cli/callback";

let sso: TestSso;
const admin = new Browser();

function pkce() {
  const verifier = randomBytes(32).toString("base64url");
  const challenge = createHash("sha256").update(verifier).digest("base64url");
  return { verifier, challenge };
}

function authorizeUrl(params: Record<string, string>): string {
  return `${sso.url}/api/auth/oauth2/authorize?${new URLSearchParams({ response_type: "code", ...params })}`;
}

/** The trusted dashboard skips consent: a signed-in browser gets a code straight back. */
async function dashboardCode(verifier: { challenge: string }): Promise<string> {
  const response = await admin.fetch(
    authorizeUrl({
      client_id: DASHBOARD_ID,
      redirect_uri: DASHBOARD_REDIRECT,
      scope: "openid offline_access taskflow:read",
      code_challenge: verifier.challenge,
      code_challenge_method: "S256",
      state: "s1",
      resource: API,
    }),
  );
  expect(response.status).toBe(302);
  const location = new URL(response.headers.get("location") ?? "");
  expect(location.origin + location.pathname).toBe(DASHBOARD_REDIRECT);
  const code = location.searchParams.get("code");
  expect(code).toBeTruthy();
  return code ?? "";
}

function exchange(code: string, verifier: string): Promise<Response> {
  return exchangeCode(
    sso.url,
    { id: DASHBOARD_ID, secret: DASHBOARD_SECRET, redirectUri: DASHBOARD_REDIRECT },
    { code, verifier, resource: API },
  );
}

function signInJson(email: string, password: string): Promise<Response> {
  return fetch(`${sso.url}/api/auth/sign-in/email`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: sso.url },
    body: JSON.stringify({ email, password }),
  });
}

beforeAll(async () => {
  sso = await startTestSso({
    ADMIN_EMAIL,
    ADMIN_PASSWORD,
    API_AUDIENCE: API,
    DASHBOARD_CLIENT_ID: DASHBOARD_ID,
    DASHBOARD_CLIENT_SECRET: DASHBOARD_SECRET,
    DASHBOARD_REDIRECT_URIS: DASHBOARD_REDIRECT,
    EXTRA_OAUTH_CLIENTS: JSON.stringify([
      {
        client_id: PUBLIC_ID,
        client_name: "Command line",
        redirect_uris: [PUBLIC_REDIRECT],
        token_endpoint_auth_method: "none",
        application_type: "native",
      },
    ]),
  });
  const signedIn = await admin.submit(`${sso.url}/sign-in`, { email: ADMIN_EMAIL, password: ADMIN_PASSWORD });
  expect(signedIn.status).toBe(303);
});

afterAll(async () => {
  await sso?.close();
});

describe("authorization endpoint", () => {
  it("refuses a public client that sends no PKCE challenge", async () => {
    const response = await admin.fetch(
      authorizeUrl({ client_id: PUBLIC_ID, redirect_uri: PUBLIC_REDIRECT, scope: "openid", state: "x" }),
    );
    const location = response.headers.get("location");
    if (location) {
      const url = new URL(location);
      expect(url.searchParams.get("code")).toBeNull();
      expect(url.searchParams.get("error")).toBeTruthy();
    } else {
      expect(response.status).toBeGreaterThanOrEqual(400);
    }
  });

  it("gives a public client with PKCE a code", async () => {
    const { challenge } = pkce();
    const response = await admin.fetch(
      authorizeUrl({
        client_id: PUBLIC_ID,
        redirect_uri: PUBLIC_REDIRECT,
        scope: "openid",
        state: "x",
        code_challenge: challenge,
        code_challenge_method: "S256",
      }),
    );
    // Not trusted: it goes to the consent page rather than straight back.
    expect(response.status).toBe(302);
    expect(new URL(response.headers.get("location") ?? "").pathname).toBe("/consent");
  });

  it("never redirects to a redirect URI that is not registered", async () => {
    const { challenge } = pkce();
    const response = await admin.fetch(
      authorizeUrl({
        client_id: DASHBOARD_ID,
        redirect_uri: "https://attacker.example/steal",
        scope: "openid",
        state: "x",
        code_challenge: challenge,
        code_challenge_method: "S256",
      }),
    );
    const location = response.headers.get("location") ?? "";
    expect(location).not.toContain("attacker.example");
    expect(response.status === 302 ? new URL(location, sso.url).origin : sso.url).toBe(sso.url);
  });

  it("refuses an unknown client without redirecting", async () => {
    const { challenge } = pkce();
    const response = await admin.fetch(
      authorizeUrl({
        client_id: "no-such-client",
        redirect_uri: "https://attacker.example/steal",
        scope: "openid",
        code_challenge: challenge,
        code_challenge_method: "S256",
      }),
    );
    const location = response.headers.get("location") ?? "";
    expect(location).not.toContain("attacker.example");
    if (location) expect(new URL(location, sso.url).searchParams.get("error")).toBeTruthy();
  });
});

describe("token endpoint", () => {
  it("exchanges a code once, and refuses the same code the second time", async () => {
    const pair = pkce();
    const code = await dashboardCode(pair);
    const first = await exchange(code, pair.verifier);
    expect(first.status).toBe(200);
    const body = (await first.json()) as { access_token: string };
    expect(body.access_token.split(".")).toHaveLength(3);
    const second = await exchange(code, pair.verifier);
    expect(second.status).toBe(400);
    expect(((await second.json()) as { error: string }).error).toBe("invalid_grant");
  });

  it("refuses a code with the wrong PKCE verifier", async () => {
    const pair = pkce();
    const code = await dashboardCode(pair);
    const response = await exchange(code, pkce().verifier);
    expect([400, 401]).toContain(response.status);
    const body = (await response.json()) as { error?: string; access_token?: string };
    expect(body.access_token).toBeUndefined();
    expect(body.error).toBeTruthy();
  });

  it("refuses an expired code", async () => {
    const pair = pkce();
    const code = await dashboardCode(pair);
    // Age every pending authorization code past its lifetime.
    await sso.sso.database.db
      .update(schema.verification)
      .set({ expiresAt: new Date(Date.now() - 60_000) })
      .where(like(schema.verification.value, "%authorization_code%"));
    const response = await exchange(code, pair.verifier);
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: string }).error).toBe("invalid_grant");
  });

  it("refuses a code presented by an unknown client or with a wrong client secret", async () => {
    const attempt = async (credentials: string) => {
      const pair = pkce();
      const code = await dashboardCode(pair);
      return fetch(`${sso.url}/api/auth/oauth2/token`, {
        method: "POST",
        headers: {
          "content-type": "application/x-www-form-urlencoded",
          authorization: `Basic ${Buffer.from(credentials).toString("base64")}`,
        },
        body: new URLSearchParams({
          grant_type: "authorization_code",
          code,
          code_verifier: pair.verifier,
          redirect_uri: DASHBOARD_REDIRECT,
          resource: API,
        }).toString(),
      });
    };
    const unknown = await attempt("nobody:nothing-at-all-0123");
    expect([400, 401]).toContain(unknown.status);
    const unknownBody = (await unknown.json()) as { error?: string; access_token?: string };
    expect(unknownBody.access_token).toBeUndefined();
    expect(unknownBody.error).toBeTruthy();
    const wrongSecret = await attempt(`${DASHBOARD_ID}:not-the-secret-0123`);
    expect(wrongSecret.status).toBe(401);
    expect(((await wrongSecret.json()) as { error: string }).error).toBe("invalid_client");
  });
});

describe("sign-in", () => {
  it("answers a wrong password and an unknown email the same way", async () => {
    const wrongPassword = await signInJson(ADMIN_EMAIL, "not the password at all");
    const unknownEmail = await signInJson("nobody-here@example.test", "not the password at all");
    expect(wrongPassword.status).toBe(401);
    expect(unknownEmail.status).toBe(wrongPassword.status);
    expect(await unknownEmail.json()).toEqual(await wrongPassword.json());
  });

  it("answers a brute force with 429, even for the right password, counted in the database", async () => {
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 8; attempt++) {
      statuses.push((await signInJson(ADMIN_EMAIL, `guess number ${attempt}`)).status);
    }
    expect(statuses).toContain(429);
    expect(statuses.filter((status) => status === 401).length).toBeLessThanOrEqual(5);
    const rightPassword = await signInJson(ADMIN_EMAIL, ADMIN_PASSWORD);
    expect(rightPassword.status).toBe(429);
    const page = await new Browser().submit(`${sso.url}/sign-in`, {
      email: ADMIN_EMAIL,
      password: ADMIN_PASSWORD,
    });
    expect(page.status).toBe(429);
    const rows = await sso.sso.database.db.select().from(schema.rateLimit);
    expect(rows.some((row) => row.key.includes("/sign-in/email"))).toBe(true);
  });

  it("refuses a cross-site form post", async () => {
    const response = await fetch(`${sso.url}/sign-in`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", origin: "https://attacker.example" },
      body: new URLSearchParams({ email: ADMIN_EMAIL, password: ADMIN_PASSWORD }).toString(),
    });
    expect(response.status).toBe(403);
  });
});

describe("CORS", () => {
  it("lets browser-based clients reach the public OAuth endpoints, without cookies", async () => {
    const preflight = await fetch(`${sso.url}/api/auth/oauth2/token`, {
      method: "OPTIONS",
      headers: {
        origin: "https://some-mcp-client.example",
        "access-control-request-method": "POST",
        "access-control-request-headers": "content-type",
      },
    });
    expect(preflight.status).toBeLessThan(300);
    expect(preflight.headers.get("access-control-allow-origin")).toBe("*");
    expect(preflight.headers.get("access-control-allow-credentials")).toBeNull();
    const jwks = await fetch(`${sso.url}/api/auth/jwks`, {
      headers: { origin: "https://some-mcp-client.example" },
    });
    expect(jwks.headers.get("access-control-allow-origin")).toBe("*");
    const discovery = await fetch(`${sso.url}/.well-known/openid-configuration`, {
      headers: { origin: "https://some-mcp-client.example" },
    });
    expect(discovery.headers.get("access-control-allow-origin")).toBe("*");
  });

  it("does not open the cookie-bearing endpoints to other origins", async () => {
    const preflight = await fetch(`${sso.url}/api/auth/sign-in/email`, {
      method: "OPTIONS",
      headers: { origin: "https://attacker.example", "access-control-request-method": "POST" },
    });
    expect(preflight.headers.get("access-control-allow-origin")).not.toBe("*");
    expect(preflight.headers.get("access-control-allow-origin")).not.toBe("https://attacker.example");
  });
});
