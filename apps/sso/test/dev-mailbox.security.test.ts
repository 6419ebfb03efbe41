import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EnvError, parseEnv } from "../src/env.ts";
import { nonLoopbackAddress, startForwardingProxy } from "./forwarding-proxy.ts";
import { Browser, startTestSso, type TestSso } from "./helpers.ts";

// The dev mailbox shows every reset link the SSO "sent": whoever reads it can take over any account.
// It is served to this machine only, never in production, and beyond loopback only when
// DEV_MAILBOX_REMOTE_ADMINS opts in, then only to a signed-in administrator.

const ADMIN_EMAIL = "admin@example.test";
const ADMIN_PASSWORD = "a long admin passphrase";
const USER_EMAIL = "olga@example.test";
const USER_PASSWORD = "a person of her own passphrase";
const elsewhere = nonLoopbackAddress();

/** Starts an SSO listening on every address, with one mail (a sign-up confirmation) in its mailbox. */
async function ssoWithMail(env: Record<string, string>): Promise<TestSso> {
  const sso = await startTestSso({
    HOST: "0.0.0.0",
    ADMIN_EMAIL,
    ADMIN_PASSWORD,
    REQUIRE_EMAIL_VERIFICATION: "false",
    ...env,
  });
  const signUp = await fetch(`${sso.url}/api/auth/sign-up/email`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: sso.sso.config.baseUrl },
    body: JSON.stringify({ name: "Olga", email: USER_EMAIL, password: USER_PASSWORD }),
  });
  expect(signUp.status).toBe(200);
  expect(sso.sso.mailer.list().length).toBeGreaterThan(0);
  return sso;
}

function mailbox(base: string, headers: Record<string, string> = {}): Promise<Response> {
  return new Browser().fetch(`${base}/dev/mailbox`, { headers });
}

describe("the dev mailbox, by default", () => {
  let sso: TestSso;
  let proxy: Awaited<ReturnType<typeof startForwardingProxy>>;
  beforeAll(async () => {
    sso = await ssoWithMail({});
    proxy = await startForwardingProxy(`http://127.0.0.1:${sso.port}`);
  });
  afterAll(async () => {
    await proxy?.close();
    await sso?.close();
  });

  it("is served to a request from loopback", async () => {
    const response = await mailbox(`http://127.0.0.1:${sso.port}`);
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(await response.text()).toContain(USER_EMAIL);
  });

  it("is not served to a request from another address, whatever X-Forwarded-For says", async () => {
    for (const headers of [{}, { "x-forwarded-for": "127.0.0.1" }] as Record<string, string>[]) {
      const response = await mailbox(`http://${elsewhere}:${sso.port}`, headers);
      expect(response.status).toBe(404);
      expect(await response.text()).not.toContain(USER_EMAIL);
    }
  });
});

describe("the dev mailbox behind a trusted proxy (TRUST_PROXY=1)", () => {
  let sso: TestSso;
  let proxy: Awaited<ReturnType<typeof startForwardingProxy>>;
  beforeAll(async () => {
    sso = await ssoWithMail({ TRUST_PROXY: "1" });
    proxy = await startForwardingProxy(`http://127.0.0.1:${sso.port}`);
  });
  afterAll(async () => {
    await proxy?.close();
    await sso?.close();
  });

  it("refuses a remote client that forged X-Forwarded-For: 127.0.0.1 (the proxy connects from loopback)", async () => {
    for (const forged of ["127.0.0.1", "::1", "127.0.0.1, 127.0.0.1"]) {
      const response = await mailbox(`http://${elsewhere}:${proxy.port}`, { "x-forwarded-for": forged });
      expect(response.status).toBe(404);
    }
    expect((await mailbox(`http://${elsewhere}:${proxy.port}`)).status).toBe(404);
  });

  it("serves a client on this machine that comes through the proxy", async () => {
    expect((await mailbox(`http://127.0.0.1:${proxy.port}`)).status).toBe(200);
  });
});

describe("the dev mailbox with DEV_MAILBOX_REMOTE_ADMINS=true", () => {
  let sso: TestSso;
  let base: string;
  beforeAll(async () => {
    // Reached by its non-loopback address, as someone on the network would.
    sso = await ssoWithMail({ PUBLIC_HOST: elsewhere, DEV_MAILBOX_REMOTE_ADMINS: "true" });
    base = sso.sso.config.baseUrl;
  });
  afterAll(async () => {
    await sso?.close();
  });

  async function signedIn(email: string, password: string): Promise<Browser> {
    const browser = new Browser();
    expect((await browser.submit(`${base}/sign-in`, { email, password })).status).toBe(303);
    return browser;
  }

  it("sends an anonymous remote request to sign in", async () => {
    const response = await mailbox(base);
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe("/sign-in?callbackURL=%2Fdev%2Fmailbox");
  });

  it("refuses a signed-in person who is not an administrator", async () => {
    const olga = await signedIn(USER_EMAIL, USER_PASSWORD);
    const response = await olga.fetch(`${base}/dev/mailbox`);
    expect(response.status).toBe(403);
    expect(await response.text()).not.toContain("Confirm");
  });

  it("serves a signed-in administrator", async () => {
    const admin = await signedIn(ADMIN_EMAIL, ADMIN_PASSWORD);
    const response = await admin.fetch(`${base}/dev/mailbox`);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain(USER_EMAIL);
  });

  it("still serves loopback without sign-in", async () => {
    expect((await mailbox(`http://127.0.0.1:${sso.port}`)).status).toBe(200);
  });
});

describe("the dev mailbox in production", () => {
  let sso: TestSso;
  beforeAll(async () => {
    sso = await startTestSso({ NODE_ENV: "production", ADMIN_EMAIL, ADMIN_PASSWORD });
  });
  afterAll(async () => {
    await sso?.close();
  });

  it("is never served, not even to loopback", async () => {
    expect((await mailbox(`http://127.0.0.1:${sso.port}`)).status).toBe(404);
  });

  it("cannot be opted into: the SSO refuses to start, naming the variable", () => {
    const attempt = () =>
      parseEnv({
        NODE_ENV: "production",
        BETTER_AUTH_SECRET: "production-secret-of-enough-length-0123456789",
        BETTER_AUTH_URL: "https://sso.example.test",
        DEV_MAILBOX_REMOTE_ADMINS: "true",
      });
    expect(attempt).toThrow(EnvError);
    expect(attempt).toThrow(/DEV_MAILBOX_REMOTE_ADMINS/);
  });
});
