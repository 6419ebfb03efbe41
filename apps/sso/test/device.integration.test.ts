import { eq } from "drizzle-orm";
import { createRemoteJWKSet, jwtVerify } from "jose";
import * as client from "openid-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as schema from "../src/db/schema.ts";
import { Browser, hiddenInput, startTestSso, type TestSso } from "./helpers.ts";

const API = "http://localhost:8000";
const ADMIN_EMAIL = "device-owner@example.test";
const ADMIN_PASSWORD = "device owner passphrase";
const CLI_ID = "taskflow-cli";
const DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code";

let sso: TestSso;
let config: client.Configuration;
const person = new Browser();

beforeAll(async () => {
  sso = await startTestSso({
    ADMIN_EMAIL,
    ADMIN_PASSWORD,
    API_AUDIENCE: API,
    EXTRA_OAUTH_CLIENTS: JSON.stringify([
      {
        client_id: CLI_ID,
        client_name: "TaskFlow CLI",
        redirect_uris: ["http://127.0.0.1/unused"],
        token_endpoint_auth_method: "none",
        application_type: "native",
        grant_types: [DEVICE_GRANT, "refresh_token"],
      },
    ]),
  });
  config = await client.discovery(new URL(sso.url), CLI_ID, undefined, client.None(), {
    execute: [client.allowInsecureRequests],
  });
  const signedIn = await person.submit(`${sso.url}/sign-in`, {
    email: ADMIN_EMAIL,
    password: ADMIN_PASSWORD,
  });
  expect(signedIn.status).toBe(303);
});

afterAll(async () => {
  await sso?.close();
});

function poll(deviceCode: string): Promise<Response> {
  return fetch(`${sso.url}/api/auth/oauth2/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      grant_type: DEVICE_GRANT,
      device_code: deviceCode,
      client_id: CLI_ID,
    }).toString(),
  });
}

describe("device authorization (RFC 8628)", () => {
  it("advertises the device endpoint", () => {
    expect(config.serverMetadata().device_authorization_endpoint).toBe(`${sso.url}/api/auth/device/code`);
  });

  it("issues API tokens once a signed-in person approves the user code, with pending and slow_down before", async () => {
    const started = await client.initiateDeviceAuthorization(config, {
      scope: "openid offline_access taskflow:read",
      resource: API,
    });
    expect(started.verification_uri).toBe(`${sso.url}/device`);
    const first = await poll(started.device_code);
    expect(((await first.json()) as { error: string }).error).toBe("authorization_pending");
    const tooFast = await poll(started.device_code);
    expect(((await tooFast.json()) as { error: string }).error).toBe("slow_down");

    const page = await person.submit(`${sso.url}/device`, { user_code: started.user_code });
    expect(page.status).toBe(200);
    const review = await page.text();
    expect(review).toContain("TaskFlow CLI");
    const approved = await person.submit(`${sso.url}/device/decision`, {
      user_code: hiddenInput(review, "user_code") ?? "",
      decision: "approve",
    });
    expect(approved.status).toBe(200);

    const tokens = await client.pollDeviceAuthorizationGrant(
      config,
      { ...started, interval: 0 },
      { resource: API },
    );
    const jwks = createRemoteJWKSet(new URL(sso.jwksUrl));
    const { payload } = await jwtVerify(tokens.access_token, jwks, { issuer: sso.issuer, audience: API });
    expect(payload.client_id).toBe(CLI_ID);
    expect(payload.email).toBe(ADMIN_EMAIL);
    expect(payload.org_role).toBe("owner");
    expect(typeof payload.org_id).toBe("string");
  });

  it("refuses a denied code and an expired one", async () => {
    const denied = await client.initiateDeviceAuthorization(config, { scope: "openid", resource: API });
    const page = await person.submit(`${sso.url}/device`, { user_code: denied.user_code });
    const deny = await person.submit(`${sso.url}/device/decision`, {
      user_code: hiddenInput(await page.text(), "user_code") ?? "",
      decision: "deny",
    });
    expect(deny.status).toBe(200);
    expect(((await (await poll(denied.device_code)).json()) as { error: string }).error).toBe(
      "access_denied",
    );

    const expiring = await client.initiateDeviceAuthorization(config, { scope: "openid", resource: API });
    await sso.sso.database.db
      .update(schema.deviceCode)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(schema.deviceCode.userCode, expiring.user_code));
    expect(((await (await poll(expiring.device_code)).json()) as { error: string }).error).toBe(
      "expired_token",
    );
    const late = await person.submit(`${sso.url}/device`, { user_code: expiring.user_code });
    expect(late.status).toBe(400);
  });
});
