import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAccessTokenVerifier, InvalidTokenError, pollRevokedSubjects } from "../src/index.ts";
import { startTestIssuer, type TestIssuer } from "../src/testing/index.ts";

/**
 * A token verified once is remembered for the rest of its life, so that the same token on every request
 * is not checked again (access-token-verifier.ts). Remembering must never accept what a full check
 * refuses: a voided subject, an expired token, a key the SSO withdrew. Real keys and a real feed on
 * loopback.
 */

const audience = "http://resource.test";
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
let issuer: TestIssuer;
let feed: Server;
let feedUrl: string;
let feedRequests = 0;
let voided: { sub: string; revoked_before: number }[] = [];

beforeAll(async () => {
  issuer = await startTestIssuer({ audience });
  feed = createServer((_, response) => {
    feedRequests += 1;
    response.writeHead(200, { "content-type": "application/json" });
    response.end(JSON.stringify({ subjects: voided, window_seconds: 960 }));
  });
  await new Promise<void>((resolve) => feed.listen(0, "127.0.0.1", () => resolve()));
  feedUrl = `http://127.0.0.1:${(feed.address() as AddressInfo).port}/api/auth/revocations`;
});
afterAll(async () => {
  await issuer.close();
  await new Promise<void>((resolve) => feed.close(() => resolve()));
});

/** Polls `check` until it holds, for up to 15 s however loaded the machine. */
async function until(check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("timed out");
    await sleep(50);
  }
}

describe("verified tokens, remembered", () => {
  it("are refused once their subject is voided by the revocation feed, remembered or not", async () => {
    voided = [];
    const revokedSubjects = pollRevokedSubjects({ url: feedUrl, intervalMs: 50 });
    try {
      const verify = createAccessTokenVerifier({
        issuer: issuer.issuer,
        jwksUrl: issuer.jwksUrl,
        audience,
        revokedSubjects,
      });
      const token = await issuer.mint({ sub: "banned-later" });
      expect((await verify(token)).userId).toBe("banned-later");
      expect((await verify(token)).userId).toBe("banned-later");
      voided = [{ sub: "banned-later", revoked_before: Math.floor(Date.now() / 1000) + 1 }];
      const polled = feedRequests;
      await until(async () => feedRequests >= polled + 2);
      await expect(verify(token)).rejects.toThrow(InvalidTokenError);
      await expect(verify(token)).rejects.toThrow("revoked");
    } finally {
      revokedSubjects.stop();
    }
  });

  it("are verified in full again at their expiry, and refused past it", async () => {
    const verify = createAccessTokenVerifier({ issuer: issuer.issuer, jwksUrl: issuer.jwksUrl, audience });
    const token = await issuer.mint({ sub: "short-lived", expiresIn: "1s" });
    expect((await verify(token)).userId).toBe("short-lived");
    // Past `exp` and the verifier's 5 s clock tolerance.
    await sleep(7_000);
    await expect(verify(token)).rejects.toThrow("expired");
  }, 20_000);

  it("stop being accepted once the SSO withdrew their signing key and the keys were refreshed", async () => {
    issuer.setJwks("up");
    const verify = createAccessTokenVerifier({
      issuer: issuer.issuer,
      jwksUrl: issuer.jwksUrl,
      audience,
      keys: { refreshAfterMs: 200, unknownKeyCooldownMs: 200, retryAfterFailureMs: 200 },
    });
    const token = await issuer.mint({ sub: "old-key" });
    expect((await verify(token)).userId).toBe("old-key");
    // A new key signs from now on and the old one is no longer published.
    await issuer.rotate({ keepOld: false });
    await until(async () =>
      verify(token).then(
        () => false,
        (error: unknown) => error instanceof InvalidTokenError,
      ),
    );
    const fresh = await issuer.mint({ sub: "new-key" });
    expect((await verify(fresh)).userId).toBe("new-key");
  });
});
