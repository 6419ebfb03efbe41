import { afterEach, describe, expect, it } from "vitest";
import { startTestSso, type TestSso } from "./helpers.ts";

// The sign-in limit is per client address. Behind an ingress the address comes from X-Forwarded-For,
// where the ingress appends what it saw to whatever the client sent: only the right-hand entries are
// the proxies' word. A client that rotates the left-hand ones must not get a fresh limit each time.

const ADMIN_EMAIL = "admin@example.test";
const ADMIN_PASSWORD = "a long admin passphrase";
/** What the ingress saw: the attacker's real address. */
const ATTACKER = "198.51.100.7";

let sso: TestSso | undefined;

async function start(env: Record<string, string>): Promise<TestSso> {
  sso = await startTestSso({ ADMIN_EMAIL, ADMIN_PASSWORD, ...env });
  return sso;
}

function signIn(server: TestSso, forwardedFor: string, password: string): Promise<Response> {
  return fetch(`${server.url}/api/auth/sign-in/email`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: server.url, "x-forwarded-for": forwardedFor },
    body: JSON.stringify({ email: ADMIN_EMAIL, password }),
  });
}

/** Ten wrong passwords, each claiming a new address on the left, as the ingress would pass them on. */
async function rotatingGuesses(server: TestSso, realAddress: string): Promise<number[]> {
  const statuses: number[] = [];
  for (let guess = 0; guess < 10; guess++) {
    const forged = `203.0.113.${guess + 1}`;
    statuses.push((await signIn(server, `${forged}, ${realAddress}`, `guess number ${guess}`)).status);
  }
  return statuses;
}

// Each test starts its own SSO, so one test's counters cannot decide another's.
afterEach(async () => {
  await sso?.close();
  sso = undefined;
});

describe("the client address behind a proxy (TRUST_PROXY=1)", () => {
  it("counts a brute force with forged X-Forwarded-For entries against the address the proxy saw", async () => {
    const server = await start({ TRUST_PROXY: "1" });
    const statuses = await rotatingGuesses(server, ATTACKER);
    expect(statuses).toContain(429);
    expect(statuses.filter((status) => status === 401).length).toBeLessThanOrEqual(5);
  });

  it("keeps another client's limit apart: a different address seen by the proxy signs in", async () => {
    const server = await start({ TRUST_PROXY: "1" });
    expect(await rotatingGuesses(server, ATTACKER)).toContain(429);
    expect((await signIn(server, "192.0.2.44", ADMIN_PASSWORD)).status).toBe(200);
  });
});

describe("the client address without a proxy (the default)", () => {
  it("ignores X-Forwarded-For entirely: rotating it gains nothing", async () => {
    const server = await start({});
    const statuses: number[] = [];
    for (let guess = 0; guess < 10; guess++) {
      statuses.push((await signIn(server, `203.0.113.${guess + 1}`, `guess number ${guess}`)).status);
    }
    expect(statuses).toContain(429);
  });
});
