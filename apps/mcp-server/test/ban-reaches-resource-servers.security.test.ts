// A banned person's access ends at the API and the MCP server within the documented bound, not when their
// access token expires (15 minutes later). Both run for real (startApi, startMcp) against the real SSO: the
// person holds an API token (the dashboard's client) and an MCP token (a client registered the way MCP
// clients do), an administrator disables the account on the SSO's admin page, and both servers refuse the
// tokens within SSO_REVOCATION_POLL_SECONDS (default 5) plus a second for the request that notices. Without
// the revocation feed they kept accepting them for the tokens' remaining lifetime.
import { createHash, randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as ssoSchema from "../../sso/src/db/schema.ts";
import { authorizeInBrowser, pkce } from "../../sso/test/authorization.ts";
import { Browser } from "../../sso/test/helpers.ts";
import { dashboardClient, type RealStack, stackAdmin, startRealStack } from "./support/real-stack.ts";

/** The documented bound: one poll (SSO_REVOCATION_POLL_SECONDS, default 5 s), plus a second for the request. */
const BOUND_MS = 5_000 + 1_000;
const PASSWORD = "an ordinary passphrase";

let stack: RealStack;
const admin = new Browser();

beforeAll(async () => {
  stack = await startRealStack();
  expect((await admin.submit(`${stack.sso.url}/sign-in`, stackAdmin)).status).toBe(303);
}, 180_000);

afterAll(async () => {
  await stack?.close();
});

async function person(name: string) {
  const email = `${name.toLowerCase()}@example.test`;
  const browser = new Browser();
  expect((await browser.submit(`${stack.sso.url}/sign-up`, { name, email, password: PASSWORD })).status).toBe(
    303,
  );
  const [row] = await stack.sso.sso.database.db
    .select({ id: ssoSchema.user.id })
    .from(ssoSchema.user)
    .where(eq(ssoSchema.user.email, email));
  return { email, password: PASSWORD, id: row?.id ?? "", browser };
}

/** An access token for `resource` through the person's browser, with the client's own token request. */
async function accessToken(
  who: Awaited<ReturnType<typeof person>>,
  client: { id: string; secret?: string; redirect: string },
  resource: string,
): Promise<string> {
  const { verifier, challenge } = pkce();
  const url = new URL(`${stack.sso.url}/api/auth/oauth2/authorize`);
  url.search = new URLSearchParams({
    response_type: "code",
    client_id: client.id,
    redirect_uri: client.redirect,
    scope: "openid taskflow:read taskflow:write",
    state: randomBytes(8).toString("hex"),
    code_challenge: challenge,
    code_challenge_method: "S256",
    resource,
  }).toString();
  const back = new URL((await authorizeInBrowser(who.browser, stack.sso.url, url, who)).location);
  const response = await fetch(`${stack.sso.url}/api/auth/oauth2/token`, {
    method: "POST",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      ...(client.secret
        ? { authorization: `Basic ${Buffer.from(`${client.id}:${client.secret}`).toString("base64")}` }
        : {}),
    },
    body: new URLSearchParams({
      grant_type: "authorization_code",
      code: back.searchParams.get("code") ?? "",
      code_verifier: verifier,
      redirect_uri: client.redirect,
      resource,
      ...(client.secret ? {} : { client_id: client.id }),
    }).toString(),
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { access_token: string }).access_token;
}

/** A public client registered the way MCP clients register (no application_type, a loopback redirect). */
async function mcpClient(): Promise<{ id: string; redirect: string }> {
  const redirect = "http://localhost:3118/callback";
  const response = await fetch(`${stack.sso.url}/api/auth/oauth2/register`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      client_name: `Claude Code (taskflow ${createHash("sha1").update(randomBytes(4)).digest("hex").slice(0, 6)})`,
      redirect_uris: [redirect],
      grant_types: ["authorization_code", "refresh_token"],
      response_types: ["code"],
      token_endpoint_auth_method: "none",
      scope: "taskflow:read taskflow:write",
    }),
  });
  expect(response.status).toBe(201);
  return { id: ((await response.json()) as { client_id: string }).client_id, redirect };
}

const apiCall = (token: string) =>
  fetch(`${stack.apiUrl}/api/projects`, { headers: { authorization: `Bearer ${token}` } });

const mcpCall = (token: string) =>
  fetch(stack.mcpUrl, {
    method: "POST",
    headers: {
      authorization: `Bearer ${token}`,
      "content-type": "application/json",
      accept: "application/json, text/event-stream",
    },
    body: JSON.stringify({
      jsonrpc: "2.0",
      id: 1,
      method: "initialize",
      params: {
        protocolVersion: "2025-06-18",
        capabilities: {},
        clientInfo: { name: "probe", version: "1" },
      },
    }),
  });

/** Milliseconds until `call` answers 401, asking every 100 ms; fails past `limit`. */
async function untilRefused(call: () => Promise<Response>, limit: number): Promise<number> {
  const started = performance.now();
  for (;;) {
    const response = await call();
    await response.body?.cancel();
    if (response.status === 401) return performance.now() - started;
    expect(response.status).toBeLessThan(400);
    if (performance.now() - started > limit) throw new Error(`still ${response.status} after ${limit} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe("a ban, at the API and the MCP server", () => {
  it(`ends the person's access tokens within ${BOUND_MS / 1000} s, not at their expiry`, async () => {
    const olga = await person("Olga");
    const apiToken = await accessToken(olga, dashboardClient, stack.apiUrl);
    const mcpToken = await accessToken(olga, await mcpClient(), stack.mcpUrl);
    expect((await apiCall(apiToken)).status).toBe(200);
    expect((await mcpCall(mcpToken)).status).toBe(200);

    const banned = await admin.submit(`${stack.sso.url}/admin/users/status`, {
      userId: olga.id,
      action: "disable",
    });
    expect(banned.status).toBe(303);
    const [api, mcp] = await Promise.all([
      untilRefused(() => apiCall(apiToken), BOUND_MS + 10_000),
      untilRefused(() => mcpCall(mcpToken), BOUND_MS + 10_000),
    ]);
    expect(api).toBeLessThanOrEqual(BOUND_MS);
    expect(mcp).toBeLessThanOrEqual(BOUND_MS);
  });

  it("leaves everyone else's tokens alone, and a token issued after the ban is lifted works", async () => {
    const ada = await person("Ada");
    const ben = await person("Ben");
    const adaToken = await accessToken(ada, dashboardClient, stack.apiUrl);
    const benToken = await accessToken(ben, dashboardClient, stack.apiUrl);
    await admin.submit(`${stack.sso.url}/admin/users/status`, { userId: ben.id, action: "disable" });
    await untilRefused(() => apiCall(benToken), BOUND_MS + 10_000);
    expect((await apiCall(adaToken)).status).toBe(200);

    await admin.submit(`${stack.sso.url}/admin/users/status`, { userId: ben.id, action: "enable" });
    // The old token stays void; a new sign-in after the ban gets a token the servers accept.
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    const fresh = await accessToken({ ...ben, browser: new Browser() }, dashboardClient, stack.apiUrl);
    expect((await apiCall(fresh)).status).toBe(200);
    expect((await apiCall(benToken)).status).toBe(401);
  });
});
