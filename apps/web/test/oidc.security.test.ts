import { createHash } from "node:crypto";
import * as oidc from "openid-client";
import { describe, expect, it } from "vitest";
import { parseEnv } from "../src/env.ts";
import { finishLogin, startLogin, toInternal } from "../src/lib/oidc.ts";

const cfg = parseEnv({
  DASHBOARD_CLIENT_SECRET: "a-dashboard-secret-0123456789",
  SESSION_SECRET: "a-session-secret-0123456789abcdefghijklmnop",
  SSO_ISSUER: "https://sso.example.com",
  SSO_INTERNAL_URL: "http://sso.internal:3001",
  PUBLIC_URL: "https://dash.example.com",
  API_AUDIENCE: "https://api.example.com",
});

const client = new oidc.Configuration(
  {
    issuer: "https://sso.example.com",
    authorization_endpoint: "https://sso.example.com/api/auth/oauth2/authorize",
    token_endpoint: "http://sso.internal:3001/api/auth/oauth2/token",
    jwks_uri: "http://sso.internal:3001/api/auth/jwks",
  },
  cfg.clientId,
  {},
  oidc.ClientSecretBasic(cfg.clientSecret),
);

describe("authorization request", () => {
  it("asks for a code with PKCE S256, a fresh state and nonce, the API as resource, on the public endpoint", async () => {
    const { url, pending } = await startLogin(client, cfg, "/projects/1");
    expect(url.origin + url.pathname).toBe("https://sso.example.com/api/auth/oauth2/authorize");
    const q = url.searchParams;
    expect(q.get("response_type")).toBe("code");
    expect(q.get("client_id")).toBe("taskflow-dashboard");
    expect(q.get("redirect_uri")).toBe("https://dash.example.com/api/auth/callback");
    expect(q.get("scope")).toBe(
      "openid profile email offline_access taskflow:read taskflow:write taskflow:manage organizations",
    );
    expect(q.get("resource")).toBe("https://api.example.com");
    expect(q.get("code_challenge_method")).toBe("S256");
    const challenge = createHash("sha256").update(pending.codeVerifier).digest("base64url");
    expect(q.get("code_challenge")).toBe(challenge);
    expect(q.get("state")).toBe(pending.state);
    expect(q.get("nonce")).toBe(pending.nonce);
    expect(url.toString()).not.toContain(pending.codeVerifier);
    expect(pending.returnTo).toBe("/projects/1");
    const second = await startLogin(client, cfg, "/");
    expect(second.pending.state).not.toBe(pending.state);
    expect(second.pending.nonce).not.toBe(pending.nonce);
    expect(second.pending.codeVerifier).not.toBe(pending.codeVerifier);
  });
});

/** openid-client wraps the check that failed in `cause`. */
async function failure(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    const cause = (error as { cause?: { message?: string } }).cause;
    return `${(error as Error).message} / ${cause?.message ?? ""}`;
  }
  return "did not fail";
}

describe("callback", () => {
  const pending = { codeVerifier: "v".repeat(43), state: "expected-state", nonce: "n", returnTo: "/" };

  it("refuses a callback whose state is not the one sent (before any token request)", async () => {
    const url = new URL(`${cfg.redirectUri}?code=abc&state=forged`);
    expect(await failure(finishLogin(client, cfg, url, pending))).toMatch(/state/i);
  });

  it("refuses a callback without state", async () => {
    const url = new URL(`${cfg.redirectUri}?code=abc`);
    expect(await failure(finishLogin(client, cfg, url, pending))).toMatch(/state/i);
  });

  it("refuses an error answer", async () => {
    const url = new URL(`${cfg.redirectUri}?error=access_denied&state=expected-state`);
    expect(await failure(finishLogin(client, cfg, url, pending))).toMatch(/access_denied|authorization/i);
  });
});

describe("internal addresses", () => {
  it("rewrites server-to-server endpoints under the issuer only", () => {
    expect(
      toInternal("https://sso.example.com/api/auth/jwks", "https://sso.example.com", "http://sso:3001"),
    ).toBe("http://sso:3001/api/auth/jwks");
    expect(toInternal("https://other.example.com/x", "https://sso.example.com", "http://sso:3001")).toBe(
      "https://other.example.com/x",
    );
    expect(toInternal(undefined, "a", "b")).toBeUndefined();
  });
});
