import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as schema from "../src/db/schema.ts";
import { authorizeInBrowser, pkce } from "./authorization.ts";
import { Browser, hiddenInput, startTestSso, type TestSso } from "./helpers.ts";

// Anyone may register a client (MCP clients do) with any name and any https redirect. The red team
// registered "TaskFlow Security" with https://evil.example/cb and sent a signed-out browser to an
// authorization request with scope=x: the SSO answered 302 to https://evil.example/cb?error=invalid_scope,
// an open redirector under our address (RFC 9700 §4.11.2). The consent and device pages named such a client
// like a configured one, and registration gave it taskflow:write when it asked for taskflow:read only.

const ADMIN = { email: "owner@example.test", password: "correct horse battery staple" };
const MCP = "http://localhost:8001/mcp";
const EVIL = "https://evil.example/cb";
const DASHBOARD = {
  id: "taskflow-dashboard",
  secret: "dashboard-secret-0123456789",
  redirect: "https://dashboard.example/api/auth/callback",
};
// A configured client that asks for consent, to compare the consent page with.
const PARTNER = { id: "partner-app", redirect: "https://partner.example/callback" };
let sso: TestSso;
const signedIn = new Browser();

beforeAll(async () => {
  sso = await startTestSso(
    {
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
      MCP_RESOURCE_URL: MCP,
      DASHBOARD_CLIENT_ID: DASHBOARD.id,
      DASHBOARD_CLIENT_SECRET: DASHBOARD.secret,
      DASHBOARD_REDIRECT_URIS: DASHBOARD.redirect,
      EXTRA_OAUTH_CLIENTS: JSON.stringify([
        {
          client_id: PARTNER.id,
          client_name: "Partner app",
          redirect_uris: [PARTNER.redirect],
          token_endpoint_auth_method: "none",
        },
      ]),
    },
    { rateLimit: { enabled: false } },
  );
  expect((await signedIn.submit(`${sso.url}/sign-in`, ADMIN)).status).toBe(303);
});

afterAll(async () => {
  await sso?.close();
});

async function register(body: Record<string, unknown>): Promise<{ client_id: string; scope: string }> {
  const response = await fetch(`${sso.url}/api/auth/oauth2/register`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  const answer = (await response.json()) as { client_id: string; scope: string };
  expect(response.status, JSON.stringify(answer)).toBe(201);
  return answer;
}

/** What the red team registered. */
const evilClient = (scope?: string) =>
  register({
    client_name: "TaskFlow dashboard",
    redirect_uris: [EVIL],
    token_endpoint_auth_method: "none",
    ...(scope ? { scope } : {}),
  });

function authorizeUrl(
  clientId: string,
  redirectUri: string,
  extra: Record<string, string> = {},
  withPkce = true,
): URL {
  const url = new URL(`${sso.url}/api/auth/oauth2/authorize`);
  url.search = new URLSearchParams({
    response_type: "code",
    client_id: clientId,
    redirect_uri: redirectUri,
    scope: "openid taskflow:read",
    state: "s",
    ...(withPkce ? { code_challenge: pkce().challenge, code_challenge_method: "S256" } : {}),
    ...extra,
  }).toString();
  return url;
}

/** Follows the browser while it stays on the SSO; returns where it ended. */
async function landing(browser: Browser, url: URL): Promise<{ url: URL; page: string }> {
  const { response, url: last } = await browser.follow(url, sso.url);
  return { url: new URL(last), page: await response.text() };
}

describe("an error for a self-registered client stays on the SSO", () => {
  it("the red team's request: signed out, scope=x", async () => {
    const { client_id } = await evilClient();
    const url = authorizeUrl(client_id, EVIL, { scope: "x" });
    const first = await new Browser().fetch(url);
    expect(first.status).toBe(302);
    expect(first.headers.get("location")?.startsWith(EVIL)).toBe(false);
    const { url: end, page } = await landing(new Browser(), url);
    expect(end.origin).toBe(new URL(sso.url).origin);
    expect(end.pathname).toBe("/error");
    expect(end.searchParams.get("error")).toBe("invalid_scope");
    expect(page).toContain("registered itself with TaskFlow");
    expect(page).not.toContain("evil.example");
  });

  it("every other error before the person has seen the client, signed out or in", async () => {
    const { client_id } = await evilClient();
    const cases: [string, URL][] = [
      ["no PKCE", authorizeUrl(client_id, EVIL, {}, false)],
      ["a resource it may not have", authorizeUrl(client_id, EVIL, { resource: "http://localhost:8000" })],
      ["claims without openid", authorizeUrl(client_id, EVIL, { scope: "taskflow:read", claims: "{}" })],
      ["prompt=none", authorizeUrl(client_id, EVIL, { prompt: "none" })],
      ["a scope it did not register", authorizeUrl(client_id, EVIL, { scope: "openid organizations" })],
    ];
    for (const [what, url] of cases) {
      for (const [who, browser] of [
        ["signed out", new Browser()],
        ["signed in", signedIn],
      ] as const) {
        const { url: end } = await landing(browser, url);
        expect(end.origin, `${what}, ${who}: ${end}`).toBe(new URL(sso.url).origin);
        expect(end.pathname, `${what}, ${who}`).toBe("/error");
        expect(end.searchParams.get("error"), `${what}, ${who}`).toBeTruthy();
      }
    }
  });

  it("but reaches a self-registered client's loopback redirect (the person's own device: MCP clients)", async () => {
    const { client_id } = await register({
      client_name: "Claude Code (taskflow)",
      redirect_uris: ["http://localhost:3118/callback"],
      token_endpoint_auth_method: "none",
    });
    const { url: end } = await landing(
      new Browser(),
      authorizeUrl(client_id, "http://localhost:3118/callback", { scope: "x" }),
    );
    expect(end.origin).toBe("http://localhost:3118");
    expect(end.searchParams.get("error")).toBe("invalid_scope");
    expect(end.searchParams.get("state")).toBe("s");
  });

  it("and a verified client still gets its errors at its redirect URI (RFC 6749 §4.1.2.1)", async () => {
    // The configured dashboard, and a client an administrator registers on the admin page.
    const made = await signedIn.submit(`${sso.url}/admin/clients`, {
      name: "Made by an administrator",
      redirect_uris: "https://admin-made.example/cb",
      type: "public",
    });
    expect(made.status).toBe(200);
    const [adminMade] = await sso.sso.database.db
      .select({ clientId: schema.oauthClient.clientId })
      .from(schema.oauthClient)
      .where(eq(schema.oauthClient.name, "Made by an administrator"));
    for (const [id, redirect] of [
      [DASHBOARD.id, DASHBOARD.redirect],
      [adminMade?.clientId ?? "", "https://admin-made.example/cb"],
    ] as const) {
      const { url: end } = await landing(new Browser(), authorizeUrl(id, redirect, { scope: "x" }));
      expect(end.toString().startsWith(`${redirect}?`), end.toString()).toBe(true);
      expect(end.searchParams.get("error")).toBe("invalid_scope");
    }
  });
});

describe("the consent page says who the client is and where the answer goes", () => {
  async function consentPage(clientId: string, redirect: string): Promise<string> {
    const { url, page } = await landing(signedIn, authorizeUrl(clientId, redirect, { resource: MCP }));
    expect(url.pathname).toBe("/consent");
    return page;
  }

  it("a self-registered client: unverified, its name quoted as its own claim, the redirect host", async () => {
    const { client_id } = await evilClient();
    const page = await consentPage(client_id, EVIL);
    expect(page).toContain("Unverified application");
    expect(page).toContain("registered itself with TaskFlow");
    expect(page).toContain("“TaskFlow dashboard”");
    expect(page).toContain("sent to <strong>evil.example</strong>");
  });

  it("a configured one: no warning, and the host it answers to", async () => {
    const page = await consentPage(PARTNER.id, PARTNER.redirect);
    expect(page).not.toContain("Unverified application");
    expect(page).toContain("Allow Partner app to access your account?");
    expect(page).toContain("sent to <strong>partner.example</strong>");
  });

  it("a refusal there goes back to the client, as the page said it would", async () => {
    const { client_id } = await evilClient();
    const { url, page } = await landing(signedIn, authorizeUrl(client_id, EVIL, { resource: MCP }));
    expect(url.pathname).toBe("/consent");
    const denied = await signedIn.submit(`${sso.url}/consent`, {
      accept: "no",
      oauth_query: hiddenInput(page, "oauth_query") ?? "",
    });
    const location = new URL(denied.headers.get("location") ?? "", sso.url);
    expect(location.toString().startsWith(`${EVIL}?`)).toBe(true);
    expect(location.searchParams.get("error")).toBe("access_denied");
  });
});

describe("the device page says the client is unverified", () => {
  it("with the addresses it registered", async () => {
    const { client_id } = await register({
      client_name: "TaskFlow dashboard",
      redirect_uris: [EVIL],
      token_endpoint_auth_method: "none",
      grant_types: ["authorization_code", "urn:ietf:params:oauth:grant-type:device_code"],
    });
    const started = await fetch(`${sso.url}/api/auth/device/code`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ client_id, scope: "openid taskflow:read" }).toString(),
    });
    const { user_code } = (await started.json()) as { user_code: string };
    expect(started.status).toBe(200);
    const review = await signedIn.fetch(`${sso.url}/device?user_code=${encodeURIComponent(user_code)}`);
    const page = await review.text();
    expect(review.status).toBe(200);
    expect(page).toContain("Unverified application");
    expect(page).toContain("“TaskFlow dashboard”");
    expect(page).toContain("evil.example");
  });
});

describe("registration grants only the scopes a client asks for", () => {
  const stored = async (clientId: string) =>
    (
      await sso.sso.database.db
        .select({ scopes: schema.oauthClient.scopes })
        .from(schema.oauthClient)
        .where(eq(schema.oauthClient.clientId, clientId))
    )[0]?.scopes;

  it("taskflow:read only: no taskflow:write, in the answer, in the database and at authorization", async () => {
    const registered = await evilClient("taskflow:read");
    expect(registered.scope.split(" ")).not.toContain("taskflow:write");
    expect(registered.scope.split(" ").sort()).toEqual(
      ["email", "offline_access", "openid", "profile", "taskflow:read"].sort(),
    );
    expect(await stored(registered.client_id)).not.toContain("taskflow:write");
    const { url } = await landing(
      signedIn,
      authorizeUrl(registered.client_id, EVIL, { scope: "openid taskflow:write", resource: MCP }),
    );
    expect(url.pathname).toBe("/error");
    expect(url.searchParams.get("error")).toBe("invalid_scope");
  });

  it("read and write when it asks for both; everything a registration may have when it names nothing", async () => {
    const both = await evilClient("taskflow:read taskflow:write");
    expect(both.scope.split(" ")).toEqual(
      expect.arrayContaining(["taskflow:read", "taskflow:write", "openid"]),
    );
    const none = await evilClient();
    expect(await stored(none.client_id)).toEqual(
      expect.arrayContaining(["openid", "offline_access", "taskflow:read", "taskflow:write"]),
    );
    expect(await stored(none.client_id)).not.toContain("taskflow:manage");
  });

  it("a client that asked for read only still gets a code for what it asked, after consent", async () => {
    const registered = await register({
      client_name: "A reader",
      redirect_uris: ["http://127.0.0.1:33418/callback"],
      token_endpoint_auth_method: "none",
      scope: "taskflow:read",
    });
    const { location } = await authorizeInBrowser(
      new Browser(),
      sso.url,
      authorizeUrl(registered.client_id, "http://127.0.0.1:33418/callback", {
        scope: "openid taskflow:read",
        resource: MCP,
      }),
      ADMIN,
    );
    expect(new URL(location).searchParams.get("code")).toBeTruthy();
  });
});
