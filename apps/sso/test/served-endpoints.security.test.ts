import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as schema from "../src/db/schema.ts";
import { SERVED_AUTH_ENDPOINTS } from "../src/oauth/served-endpoints.ts";
import { Browser, startTestSso, type TestSso } from "./helpers.ts";

// Better Auth's plugins mount far more endpoints than this SSO means to serve. The one that was found:
// POST /api/auth/oauth2/create-client let any signed-in person make a client that may ask for the
// `organizations` claim, which only configured clients may. This walks every endpoint the plugins mount
// (auth.api, with each one's path and methods) and holds each to src/oauth/served-endpoints.ts: served
// ones reach Better Auth, every other one answers 404, signed in or not, whatever its spelling.

const ADMIN = { email: "owner@example.test", password: "correct horse battery staple" };
let sso: TestSso;
const admin = new Browser();

interface Mounted {
  path: string;
  methods: string[];
}

/** Every HTTP endpoint Better Auth and its plugins mount (server-only ones have no HTTP route). */
function mountedEndpoints(): Mounted[] {
  const api = sso.sso.auth.api as unknown as Record<
    string,
    { path?: string; options?: { method?: string | string[]; metadata?: { SERVER_ONLY?: boolean } } }
  >;
  const mounted: Mounted[] = [];
  for (const endpoint of Object.values(api)) {
    if (!endpoint.path || endpoint.options?.metadata?.SERVER_ONLY) continue;
    const method = endpoint.options?.method ?? "GET";
    mounted.push({ path: endpoint.path, methods: Array.isArray(method) ? method : [method] });
  }
  return mounted;
}

const isServed = (path: string, method: string) =>
  SERVED_AUTH_ENDPOINTS.some((served) => served.path === path && served.methods.includes(method));

/** A concrete path for a pattern (`:token` → a value). */
const concrete = (path: string) => path.replace(/:[a-z_]+/gi, "some-value");

async function call(browser: Browser, method: string, path: string): Promise<Response> {
  const url = `${sso.url}/api/auth${path}`;
  return method === "GET"
    ? browser.fetch(url, { headers: { accept: "application/json" } })
    : browser.fetch(url, {
        method,
        headers: { "content-type": "application/json", accept: "application/json", origin: sso.url },
        body: "{}",
      });
}

beforeAll(async () => {
  sso = await startTestSso(
    { ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password },
    { rateLimit: { enabled: false } },
  );
  // Signed in as an administrator: the most a caller can be, so nothing is refused for want of a session.
  expect((await admin.submit(`${sso.url}/sign-in`, ADMIN)).status).toBe(303);
});

afterAll(async () => {
  await sso?.close();
});

describe("the Better Auth endpoints over HTTP", () => {
  it("the plugins mount many more than we serve (the list below is not vacuous)", () => {
    const mounted = mountedEndpoints();
    expect(mounted.length).toBeGreaterThan(80);
    expect(mounted.some((endpoint) => endpoint.path === "/oauth2/create-client")).toBe(true);
    // Every served entry names something that is mounted.
    for (const served of SERVED_AUTH_ENDPOINTS) {
      for (const method of served.methods) {
        expect(
          mounted.some((endpoint) => endpoint.path === served.path && endpoint.methods.includes(method)),
          `${method} ${served.path}`,
        ).toBe(true);
      }
    }
  });

  it("answers 404 for every endpoint we do not serve, even to a signed-in administrator", async () => {
    const refusedNot404: string[] = [];
    for (const endpoint of mountedEndpoints()) {
      for (const method of endpoint.methods.filter((m) => m === "GET" || m === "POST")) {
        if (isServed(endpoint.path, method)) continue;
        const response = await call(admin, method, concrete(endpoint.path));
        await response.body?.cancel();
        if (response.status !== 404) refusedNot404.push(`${method} ${endpoint.path} -> ${response.status}`);
      }
    }
    expect(refusedNot404).toEqual([]);
  });

  it("reaches Better Auth for every endpoint we serve (whatever it then answers, not our 404)", async () => {
    const notReached: string[] = [];
    for (const served of SERVED_AUTH_ENDPOINTS) {
      for (const method of served.methods) {
        const response = await call(new Browser(), method, concrete(served.path));
        const text = await response.text();
        // Our 404 is Hono's plain "404 Not Found"; Better Auth's answers are JSON, redirects or pages.
        if (response.status === 404 && text === "404 Not Found") notReached.push(`${method} ${served.path}`);
      }
    }
    expect(notReached).toEqual([]);
  });
});

describe("the self-service client endpoint that was found open", () => {
  it("creates no client for a signed-in person, however the path is spelled", async () => {
    const body = JSON.stringify({
      client_name: "Mine",
      redirect_uris: ["https://attacker.example/cb"],
      scope: "openid organizations",
    });
    for (const path of [
      "/api/auth/oauth2/create-client",
      "/api/auth/oauth2/create-client/",
      "/api/auth//oauth2/create-client",
      "/api/auth/oauth2/./create-client",
      "/api/auth/oauth2/x/../create-client",
      "/api/auth/OAUTH2/create-client",
      "/api/auth/oauth2/create%2Dclient",
      "/api/auth/oauth2/%63reate-client",
    ]) {
      const response = await admin.fetch(`${sso.url}${path}`, {
        method: "POST",
        headers: { "content-type": "application/json", accept: "application/json", origin: sso.url },
        body,
      });
      const text = await response.text();
      expect(response.status, `${path}: ${text}`).toBe(404);
      expect(text).not.toContain("client_id");
    }
    const clients = await sso.sso.database.db
      .select({ name: schema.oauthClient.name })
      .from(schema.oauthClient);
    expect(clients.map((client) => client.name)).not.toContain("Mine");
  });
});
