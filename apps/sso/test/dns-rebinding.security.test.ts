import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EnvError, parseEnv } from "../src/env.ts";
import { nonLoopbackAddress } from "./forwarding-proxy.ts";
import { Browser, startTestSso, type TestSso } from "./helpers.ts";

// The red team's attack (finding 2): a page on http://rebind.attacker.example:<port>, whose name the attacker
// re-points at 127.0.0.1, is same-origin with the SSO as far as the browser knows. It asked for a password reset,
// read the reset link in the dev mailbox, set a new password and signed in as the victim. Its requests say
// `Host: rebind.attacker.example:<port>` (and `Origin: http://rebind.attacker.example:<port>`): the SSO must
// refuse every one of them, and keep answering the names it serves (its URL, ALLOWED_HOSTS, addresses, localhost).

const VICTIM = { email: "victim@example.test", password: "the victim's own passphrase" };
const STOLEN = "Attacker-owns-it-99";
let sso: TestSso;

beforeAll(async () => {
  sso = await startTestSso({
    HOST: "0.0.0.0",
    ADMIN_EMAIL: VICTIM.email,
    ADMIN_PASSWORD: VICTIM.password,
    ALLOWED_HOSTS: "sso-platform,sso-platform.taskflow.svc.cluster.local",
  });
});

afterAll(async () => {
  await sso?.close();
});

/** What the rebound page's same-origin requests look like on the wire (node:http sends our Host as given). */
function rebound(path: string, init: { method?: string; body?: unknown } = {}): Promise<Response> {
  const origin = `http://rebind.attacker.example:${sso.port}`;
  return new Browser().fetch(`http://127.0.0.1:${sso.port}${path}`, {
    method: init.method ?? "GET",
    headers: {
      host: `rebind.attacker.example:${sso.port}`,
      origin,
      accept: "*/*",
      "sec-fetch-mode": "cors",
      "sec-fetch-site": "same-origin",
      ...(init.body ? { "content-type": "application/json" } : {}),
    },
    ...(init.body ? { body: JSON.stringify(init.body) } : {}),
  });
}

function signIn(password: string): Promise<Response> {
  return fetch(`${sso.url}/api/auth/sign-in/email`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email: VICTIM.email, password }),
  });
}

describe("a DNS-rebinding page", () => {
  it("can neither ask for a reset, nor read the mailbox, nor reset a password, nor sign in", async () => {
    const mailsBefore = sso.sso.mailer.list().length;
    const reset = await rebound("/api/auth/request-password-reset", {
      method: "POST",
      body: { email: VICTIM.email, redirectTo: "/reset-password" },
    });
    expect(reset.status).toBe(403);
    expect(reset.headers.get("content-type")).toContain("application/problem+json");
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(sso.sso.mailer.list().length).toBe(mailsBefore);

    // Even with a reset link in the mailbox (asked for from this machine), the page never sees it.
    const asked = await fetch(`${sso.url}/api/auth/request-password-reset`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: VICTIM.email, redirectTo: "/reset-password" }),
    });
    expect(asked.status).toBe(200);
    const mailbox = await rebound("/dev/mailbox");
    expect(mailbox.status).toBe(403);
    expect(await mailbox.text()).not.toContain("reset-password");

    const token =
      (sso.sso.mailer
        .list()
        .at(-1)
        ?.text.match(/reset-password\/([^?\s]+)/) ?? [])[1] ?? "";
    expect(token).not.toBe("");
    const changed = await rebound("/api/auth/reset-password", {
      method: "POST",
      body: { newPassword: STOLEN, token },
    });
    expect(changed.status).toBe(403);
    const signedIn = await rebound("/api/auth/sign-in/email", {
      method: "POST",
      body: { email: VICTIM.email, password: VICTIM.password },
    });
    expect(signedIn.status).toBe(403);
    expect(signedIn.headers.getSetCookie()).toEqual([]);

    expect((await signIn(STOLEN)).status).toBe(401);
    expect((await signIn(VICTIM.password)).status).toBe(200);
  });

  it("is refused on every page and endpoint, health included", async () => {
    for (const path of ["/api/health", "/sign-in", "/.well-known/openid-configuration", "/api/auth/jwks"]) {
      expect(`${path}: ${(await rebound(path)).status}`).toBe(`${path}: 403`);
    }
  });
});

describe("the hosts the SSO serves", () => {
  it("answers its own URL's host, ALLOWED_HOSTS on any port, localhost and IP addresses (probes: Host <pod IP>)", async () => {
    const elsewhere = nonLoopbackAddress();
    for (const host of [
      `127.0.0.1:${sso.port}`,
      `localhost:${sso.port}`,
      `sso-platform:${sso.port}`,
      "sso-platform.taskflow.svc.cluster.local:3001",
      `${elsewhere}:${sso.port}`,
    ]) {
      const response = await new Browser().fetch(`http://127.0.0.1:${sso.port}/api/health`, {
        headers: { host, accept: "application/json" },
      });
      expect(`${host}: ${response.status}`).toBe(`${host}: 200`);
    }
  });

  it("refuses a bad ALLOWED_HOSTS entry at start-up, naming it", () => {
    expect(() => parseEnv({ ALLOWED_HOSTS: "sso-platform,https://sso.example.com/x" })).toThrow(EnvError);
    expect(() => parseEnv({ ALLOWED_HOSTS: "sso-platform,https://sso.example.com/x" })).toThrow(
      /ALLOWED_HOSTS: entry 2 \(https:\/\/sso\.example\.com\/x\)/,
    );
  });
});

describe("the account endpoints, posted by a browser from another origin without cookies", () => {
  it("refuse a reset mail and a reset (Better Auth checks the Origin only when cookies come along)", async () => {
    const mailsBefore = sso.sso.mailer.list().length;
    for (const [path, body] of [
      ["/api/auth/request-password-reset", { email: VICTIM.email, redirectTo: "/reset-password" }],
      ["/api/auth/reset-password", { newPassword: STOLEN, token: "whatever" }],
      ["/api/auth/send-verification-email", { email: VICTIM.email }],
    ] as const) {
      const response = await fetch(`${sso.url}${path}`, {
        method: "POST",
        headers: { "content-type": "application/json", origin: "https://evil.example" },
        body: JSON.stringify(body),
      });
      expect(`${path}: ${response.status}`).toBe(`${path}: 403`);
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(sso.sso.mailer.list().length).toBe(mailsBefore);
  });

  it("still serve our own origin and scripts that send no Origin", async () => {
    for (const headers of [{ origin: sso.sso.config.baseUrl }, {}] as Record<string, string>[]) {
      const response = await fetch(`${sso.url}/api/auth/request-password-reset`, {
        method: "POST",
        headers: { "content-type": "application/json", ...headers },
        body: JSON.stringify({ email: VICTIM.email, redirectTo: "/reset-password" }),
      });
      expect(response.status).toBe(200);
    }
  });
});
