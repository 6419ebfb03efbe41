import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { authorizeInBrowser, pkce } from "./authorization.ts";
import { Browser, startTestSso, type TestSso } from "./helpers.ts";

// The dashboard is a confidential web client registered for one redirect URI. A loopback one, as in
// development: the provider let any port of it receive the code, so a link naming localhost:4567 delivered
// the person's code to whatever listened there. Port freedom (RFC 8252 §7.3) is for public native clients.

const DASHBOARD = {
  id: "taskflow-dashboard",
  secret: "dashboard-secret-0123456789",
  redirect: "http://localhost:3000/api/auth/callback",
};
const API = "http://localhost:8000";
const ADMIN = { email: "owner@example.test", password: "correct horse battery staple" };
let sso: TestSso;
const browser = new Browser();

beforeAll(async () => {
  sso = await startTestSso(
    {
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
      API_AUDIENCE: API,
      DASHBOARD_CLIENT_ID: DASHBOARD.id,
      DASHBOARD_CLIENT_SECRET: DASHBOARD.secret,
      DASHBOARD_REDIRECT_URIS: DASHBOARD.redirect,
    },
    { rateLimit: { enabled: false } },
  );
});

afterAll(async () => {
  await sso?.close();
});

function authorizeUrl(clientId: string, redirectUri: string, resource = API): URL {
  const url = new URL(`${sso.url}/api/auth/oauth2/authorize`);
  url.search = new URLSearchParams({
    response_type: "code",
    client_id: clientId,
    redirect_uri: redirectUri,
    scope: "openid taskflow:read",
    state: "s",
    code_challenge: pkce().challenge,
    code_challenge_method: "S256",
    resource,
  }).toString();
  return url;
}

async function register(body: Record<string, unknown>): Promise<{ client_id: string }> {
  const response = await fetch(`${sso.url}/api/auth/oauth2/register`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  expect(response.status).toBe(201);
  return (await response.json()) as { client_id: string };
}

describe("the dashboard's redirect (a confidential web client)", () => {
  it("delivers the code to the registered URI", async () => {
    const { location } = await authorizeInBrowser(
      browser,
      sso.url,
      authorizeUrl(DASHBOARD.id, DASHBOARD.redirect),
      ADMIN,
    );
    expect(location.startsWith(`${DASHBOARD.redirect}?`)).toBe(true);
    expect(new URL(location).searchParams.get("code")).toBeTruthy();
  });

  it("never delivers it to another port, or to the same path without one", async () => {
    for (const other of [
      "http://localhost:4567/api/auth/callback",
      "http://localhost/api/auth/callback",
      "http://localhost:3001/api/auth/callback",
    ]) {
      const { location, page } = await authorizeInBrowser(
        browser,
        sso.url,
        authorizeUrl(DASHBOARD.id, other),
        ADMIN,
      );
      expect(location.startsWith(other), `${other} got ${location}`).toBe(false);
      expect(new URL(location).pathname).toBe("/error");
      expect(new URL(location).searchParams.get("error")).toBe("invalid_redirect");
      expect(page).toContain("not registered");
    }
  });
});

describe("loopback port freedom (RFC 8252 §7.3)", () => {
  it("holds for a public native client: another port of its loopback redirect gets the code", async () => {
    const { client_id } = await register({
      client_name: "A command-line agent",
      redirect_uris: ["http://127.0.0.1:33418/callback"],
      token_endpoint_auth_method: "none",
    });
    const { location } = await authorizeInBrowser(
      browser,
      sso.url,
      authorizeUrl(client_id, "http://127.0.0.1:51234/callback", "http://localhost:8001/mcp"),
      ADMIN,
    );
    expect(location.startsWith("http://127.0.0.1:51234/callback?")).toBe(true);
  });

  it("does not hold for a confidential one, native or not", async () => {
    const { client_id } = await register({
      client_name: "A client with a secret",
      redirect_uris: ["http://localhost:8090/callback"],
      token_endpoint_auth_method: "client_secret_post",
    });
    const { location } = await authorizeInBrowser(
      browser,
      sso.url,
      authorizeUrl(client_id, "http://localhost:9090/callback", "http://localhost:8001/mcp"),
      ADMIN,
    );
    expect(location.startsWith("http://localhost:9090")).toBe(false);
    expect(new URL(location).pathname).toBe("/error");
  });
});
