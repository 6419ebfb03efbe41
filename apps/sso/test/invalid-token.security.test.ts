import { createHash, generateKeyPairSync, randomBytes } from "node:crypto";
import { decodeJwt, decodeProtectedHeader, SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../src/logger.ts";
import { Browser, exchangeCode, startTestSso, type TestSso } from "./helpers.ts";

// A JWT access token that does not verify is bad input, never a 500 (@better-auth/oauth-provider 1.7.5
// rethrows jose's error; src/oauth/invalid-token.ts): userinfo answers 401 invalid_token with the RFC 6750
// challenge, introspection says inactive (RFC 7662), revocation answers 200 (RFC 7009).
const API = "http://localhost:8000";
const EMAIL = "owner@example.test";
const PASSWORD = "correct horse battery staple";
const DASHBOARD_ID = "dashboard";
const DASHBOARD_SECRET = "dashboard-secret-0123456789";
const DASHBOARD_REDIRECT = "http://127.0.0.1:9/api/auth/callback";

let sso: TestSso;
let accessToken = "";
const lines: string[] = [];

beforeAll(async () => {
  sso = await startTestSso(
    {
      ADMIN_EMAIL: EMAIL,
      ADMIN_PASSWORD: PASSWORD,
      API_AUDIENCE: API,
      DASHBOARD_CLIENT_ID: DASHBOARD_ID,
      DASHBOARD_CLIENT_SECRET: DASHBOARD_SECRET,
      DASHBOARD_REDIRECT_URIS: DASHBOARD_REDIRECT,
    },
    { logger: createLogger("debug", { write: (line: string) => lines.push(line) }) },
  );
  const browser = new Browser();
  expect((await browser.submit(`${sso.url}/sign-in`, { email: EMAIL, password: PASSWORD })).status).toBe(303);
  const verifier = randomBytes(32).toString("base64url");
  const authorized = await browser.fetch(
    `${sso.url}/api/auth/oauth2/authorize?${new URLSearchParams({
      response_type: "code",
      client_id: DASHBOARD_ID,
      redirect_uri: DASHBOARD_REDIRECT,
      scope: "openid profile email",
      code_challenge: createHash("sha256").update(verifier).digest("base64url"),
      code_challenge_method: "S256",
      resource: API,
    })}`,
  );
  const code = new URL(authorized.headers.get("location") ?? "").searchParams.get("code") ?? "";
  const issued = await exchangeCode(
    sso.url,
    { id: DASHBOARD_ID, secret: DASHBOARD_SECRET, redirectUri: DASHBOARD_REDIRECT },
    { code, verifier, resource: API },
  );
  expect(issued.status).toBe(200);
  accessToken = ((await issued.json()) as { access_token: string }).access_token;
});

afterAll(async () => {
  await sso?.close();
});

function userinfo(token: string): Promise<Response> {
  return fetch(`${sso.url}/api/auth/oauth2/userinfo`, {
    headers: { authorization: `Bearer ${token}`, origin: "https://agent.example" },
  });
}

/** A confidential client's call to introspect or revoke, authenticated with HTTP Basic. */
function clientCall(
  endpoint: "introspect" | "revoke",
  token: string,
  secret = DASHBOARD_SECRET,
): Promise<Response> {
  return fetch(`${sso.url}/api/auth/oauth2/${endpoint}`, {
    method: "POST",
    headers: {
      authorization: `Basic ${Buffer.from(`${DASHBOARD_ID}:${secret}`).toString("base64")}`,
      "content-type": "application/x-www-form-urlencoded",
    },
    body: new URLSearchParams({ token, token_type_hint: "access_token" }).toString(),
  });
}

/** Access tokens that do not verify: a changed signature, and keys the SSO never published. */
async function forgedTokens(): Promise<Record<string, string>> {
  const kid = decodeProtectedHeader(accessToken).kid ?? "";
  return {
    "a changed signature": `${accessToken.slice(0, -8)}AAAAAAAA`,
    "another key under the SSO's kid": await signedElsewhere(kid),
    "another key and kid": await signedElsewhere("not-a-kid-of-the-sso"),
  };
}

/** The same claims, signed with a key the SSO never published (under its kid, or another). */
async function signedElsewhere(kid: string): Promise<string> {
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  return new SignJWT(decodeJwt(accessToken))
    .setProtectedHeader({ alg: "RS256", typ: "at+jwt", kid })
    .sign(privateKey);
}

describe("userinfo with an access token that does not verify", () => {
  it("answers the genuine token", async () => {
    expect((await userinfo(accessToken)).status).toBe(200);
  });

  it("answers 401 invalid_token with the RFC 6750 challenge, never 500", async () => {
    for (const [what, token] of Object.entries(await forgedTokens())) {
      const response = await userinfo(token);
      expect(response.status, what).toBe(401);
      expect(response.headers.get("www-authenticate"), what).toBe(
        'Bearer error="invalid_token", error_description="Invalid access token"',
      );
      expect(response.headers.get("cache-control"), what).toBe("no-store");
      // Still answerable from a browser-based client (the endpoint's CORS).
      expect(response.headers.get("access-control-allow-origin"), what).toBe("*");
      expect(await response.json(), what).toEqual({
        error: "invalid_token",
        error_description: "Invalid access token",
      });
    }
  });
});

describe("introspection and revocation of an access token that does not verify", () => {
  it("introspects the genuine token as active", async () => {
    const response = await clientCall("introspect", accessToken);
    expect(response.status).toBe(200);
    expect(((await response.json()) as { active: boolean }).active).toBe(true);
  });

  it("introspects a forged one as inactive (RFC 7662), never 500", async () => {
    for (const [what, token] of Object.entries(await forgedTokens())) {
      const response = await clientCall("introspect", token);
      expect(response.status, what).toBe(200);
      expect(response.headers.get("cache-control"), what).toBe("no-store");
      expect(await response.json(), what).toEqual({ active: false });
    }
  });

  it("answers a forged one's revocation 200 with nothing revoked (RFC 7009), never 500", async () => {
    for (const [what, token] of Object.entries(await forgedTokens())) {
      const response = await clientCall("revoke", token);
      expect(response.status, what).toBe(200);
      expect(await response.text(), what).toBe("");
    }
    // The genuine token was not touched by any of it.
    expect((await userinfo(accessToken)).status).toBe(200);
  });

  it("still refuses a client with the wrong secret first (401), forged token or not", async () => {
    const [forged] = Object.values(await forgedTokens());
    for (const endpoint of ["introspect", "revoke"] as const) {
      for (const token of [accessToken, forged ?? ""]) {
        expect((await clientCall(endpoint, token, "not-the-dashboard-secret")).status, endpoint).toBe(401);
      }
    }
  });
});

describe("the log of all these", () => {
  it("logs the refusals as refusals, not as failures", () => {
    expect(lines.filter((line) => line.includes('"level":"error"'))).toEqual([]);
    expect(lines.some((line) => line.includes('"reason":"access token did not verify"'))).toBe(true);
  });
});
