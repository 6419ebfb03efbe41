import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { authorizeInBrowser, pkce } from "./authorization.ts";
import { Browser, startTestSso, type TestSso } from "./helpers.ts";

// Registration bodies exactly as real MCP clients send them (fixtures/mcp-client-registrations.json says where
// each was found). None declares itself native except VS Code, yet all of them redirect to loopback or to a
// private-use scheme: each must register, and then get a code and tokens for the MCP server the way it would.

interface Fixture {
  name: string;
  body: Record<string, unknown> & { redirect_uris: string[]; scope?: string };
  authorizeWith: string;
}
const fixtures = (
  JSON.parse(readFileSync(new URL("./fixtures/mcp-client-registrations.json", import.meta.url), "utf8")) as {
    clients: Fixture[];
  }
).clients;

const MCP = "http://127.0.0.1:8001/mcp";
const ADMIN = { email: "owner@example.test", password: "correct horse battery staple" };
let sso: TestSso;
const browser = new Browser();

beforeAll(async () => {
  sso = await startTestSso(
    { ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password, MCP_RESOURCE_URL: MCP },
    // Five registrations from one address in a minute is the production limit; this file makes more.
    { rateLimit: { register: { window: 60, max: 100 } } },
  );
});

afterAll(async () => {
  await sso?.close();
});

async function register(body: Record<string, unknown>): Promise<Response> {
  return fetch(`${sso.url}/api/auth/oauth2/register`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
}

describe.each(fixtures)("$name's registration, as it sends it", (fixture) => {
  let registered: Record<string, unknown> & {
    client_id: string;
    client_secret?: string;
    redirect_uris: string[];
  };

  it("registers as a native client", async () => {
    const response = await register(fixture.body);
    const body = (await response.json()) as typeof registered;
    expect(response.status, JSON.stringify(body)).toBe(201);
    registered = body;
    expect(registered.application_type).toBe("native");
    expect(registered.redirect_uris).toContain(fixture.authorizeWith);
    // Only URIs the client asked for (a private-use scheme any app could claim may be left out).
    for (const uri of registered.redirect_uris) expect(fixture.body.redirect_uris).toContain(uri);
    expect(registered.token_endpoint_auth_method).toBe(fixture.body.token_endpoint_auth_method);
  });

  it("gets a code at its redirect URI and tokens for the MCP server", async () => {
    const { verifier, challenge } = pkce();
    const authorize = new URL(`${sso.url}/api/auth/oauth2/authorize`);
    authorize.search = new URLSearchParams({
      response_type: "code",
      client_id: registered.client_id,
      redirect_uri: fixture.authorizeWith,
      scope: fixture.body.scope ?? "openid",
      state: "state-of-the-client",
      code_challenge: challenge,
      code_challenge_method: "S256",
      resource: MCP,
    }).toString();
    const back = new URL((await authorizeInBrowser(browser, sso.url, authorize, ADMIN)).location);
    expect(back.href.startsWith(`${fixture.authorizeWith}?`), back.href).toBe(true);
    expect(back.searchParams.get("state")).toBe("state-of-the-client");
    const code = back.searchParams.get("code");
    expect(code).toBeTruthy();
    const confidential = fixture.body.token_endpoint_auth_method === "client_secret_post";
    const tokens = await fetch(`${sso.url}/api/auth/oauth2/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        grant_type: "authorization_code",
        code: code ?? "",
        code_verifier: verifier,
        redirect_uri: fixture.authorizeWith,
        client_id: registered.client_id,
        ...(confidential ? { client_secret: registered.client_secret ?? "" } : {}),
        resource: MCP,
      }).toString(),
    });
    const answer = (await tokens.json()) as { access_token?: string };
    expect(tokens.status, JSON.stringify(answer)).toBe(200);
    expect(answer.access_token).toBeTruthy();
  });
});

describe("what registration still refuses", () => {
  it("a web client's plain-http redirect on a public host, and a reserved scheme", async () => {
    for (const redirect of ["http://evil.example/callback", "javascript:alert(1)", "data:text/html,hi"]) {
      const response = await register({
        client_name: "Not native",
        redirect_uris: [redirect],
        token_endpoint_auth_method: "none",
      });
      expect(response.status, redirect).toBe(400);
    }
  });

  it("a loopback redirect next to a plain-http public one (native rules hold for every URI)", async () => {
    const response = await register({
      client_name: "Half native",
      redirect_uris: ["http://localhost:7777/callback", "http://evil.example/callback"],
      token_endpoint_auth_method: "none",
    });
    expect(response.status).toBe(400);
  });

  it("a client that declares itself web keeps the web rules", async () => {
    const response = await register({
      client_name: "Declared web",
      application_type: "web",
      redirect_uris: ["http://localhost:7777/callback"],
      token_endpoint_auth_method: "none",
    });
    expect(response.status).toBe(400);
  });
});
