import { createHash, generateKeyPairSync, randomBytes } from "node:crypto";
import { decodeJwt, decodeProtectedHeader, SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../src/logger.ts";
import { Browser, exchangeCode, startTestSso, type TestSso } from "./helpers.ts";

// A JWT access token that does not verify is bad input: userinfo answers 401 invalid_token with the RFC 6750
// challenge, never a 500 (@better-auth/oauth-provider 1.7.5 rethrows jose's error; src/oauth/invalid-token.ts).
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
    const kid = decodeProtectedHeader(accessToken).kid ?? "";
    const forged = {
      "a changed signature": `${accessToken.slice(0, -8)}AAAAAAAA`,
      "another key under the SSO's kid": await signedElsewhere(kid),
      "another key and kid": await signedElsewhere("not-a-kid-of-the-sso"),
    };
    for (const [what, token] of Object.entries(forged)) {
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

  it("logs the refusals as refusals, not as failures", () => {
    expect(lines.filter((line) => line.includes('"level":"error"'))).toEqual([]);
    expect(lines.some((line) => line.includes('"reason":"access token did not verify"'))).toBe(true);
  });
});
