import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createAccessTokenVerifier,
  InvalidTokenError,
  pollRevokedSubjects,
  revocationFeedUrl,
} from "../src/index.ts";
import { startTestIssuer, type TestIssuer } from "../src/testing/index.ts";

/**
 * The revocation feed as the resource servers read it, from a feed served on loopback that the test
 * controls (the SSO's own feed and the API and MCP server reading it are tested end to end in
 * apps/mcp-server/test/ban-reaches-resource-servers.security.test.ts): polled in the background and
 * never per request, a voided subject's earlier tokens refused and later ones accepted, what is known
 * kept while the feed cannot be read, entries forgotten once every token they void has expired.
 */

const audience = "http://resource.test";
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const now = () => Math.floor(Date.now() / 1000);

let issuer: TestIssuer;
let feed: Server;
let feedUrl: string;
let requests = 0;
let answer: { status: number; body: unknown } = { status: 200, body: { subjects: [], window_seconds: 960 } };

beforeAll(async () => {
  issuer = await startTestIssuer({ audience });
  feed = createServer((_, response) => {
    requests += 1;
    response.writeHead(answer.status, { "content-type": "application/json" });
    response.end(JSON.stringify(answer.body));
  });
  await new Promise<void>((resolve) => feed.listen(0, "127.0.0.1", () => resolve()));
  feedUrl = `http://127.0.0.1:${(feed.address() as AddressInfo).port}/api/auth/revocations`;
});

afterAll(async () => {
  await issuer.close();
  await new Promise<void>((resolve) => feed.close(() => resolve()));
});

function serve(subjects: { sub: string; revoked_before: number }[], window = 960): void {
  answer = { status: 200, body: { subjects, window_seconds: window } };
}

/** Waits (up to 10 s, however loaded the machine) for `n` more requests to reach the feed. */
async function polls(n: number): Promise<void> {
  const target = requests + n;
  const deadline = Date.now() + 10_000;
  while (requests < target) {
    if (Date.now() > deadline) throw new Error("the feed was not polled");
    await sleep(20);
  }
}

describe("the revocation feed, read by a resource server", () => {
  it("lies beside the JWKS", () => {
    expect(revocationFeedUrl("https://sso.example.com/api/auth/jwks")).toBe(
      "https://sso.example.com/api/auth/revocations",
    );
    expect(revocationFeedUrl("http://sso.internal:3001/prefix/api/auth/jwks")).toBe(
      "http://sso.internal:3001/prefix/api/auth/revocations",
    );
  });

  it("refuses a voided subject's tokens issued before the moment, and only those", async () => {
    serve([]);
    const revoked = pollRevokedSubjects({ url: feedUrl, intervalMs: 50 });
    const verify = createAccessTokenVerifier({
      issuer: issuer.issuer,
      jwksUrl: issuer.jwksUrl,
      audience,
      revokedSubjects: revoked,
    });
    try {
      const before = await issuer.mint({ sub: "olga" });
      const other = await issuer.mint({ sub: "ada" });
      expect((await verify(before)).userId).toBe("olga");
      serve([{ sub: "olga", revoked_before: now() + 1 }]);
      await polls(2);
      await expect(verify(before)).rejects.toThrow(InvalidTokenError);
      await expect(verify(before)).rejects.toThrow("revoked");
      expect((await verify(other)).userId).toBe("ada");
      // A token issued after the moment (a person whose ban was lifted signs in again) is accepted.
      serve([{ sub: "olga", revoked_before: now() - 5 }]);
      await sleep(1_100);
      const after = await issuer.mint({ sub: "olga" });
      await polls(2);
      expect((await verify(after)).userId).toBe("olga");
    } finally {
      revoked.stop();
    }
  });

  it("is read in the background, never per request", async () => {
    serve([]);
    const revoked = pollRevokedSubjects({ url: feedUrl, intervalMs: 60_000 });
    try {
      await revoked.ready;
      const counted = requests;
      const verify = createAccessTokenVerifier({
        issuer: issuer.issuer,
        jwksUrl: issuer.jwksUrl,
        audience,
        revokedSubjects: revoked,
      });
      const token = await issuer.mint({ sub: "busy" });
      for (let i = 0; i < 50; i++) await verify(token);
      expect(requests).toBe(counted);
    } finally {
      revoked.stop();
    }
  });

  it("keeps what it knows while the feed cannot be read, and says so once", async () => {
    serve([{ sub: "mallory", revoked_before: now() + 1 }]);
    const errors: unknown[] = [];
    const revoked = pollRevokedSubjects({
      url: feedUrl,
      intervalMs: 50,
      onError: (error) => errors.push(error),
    });
    try {
      await polls(2);
      expect(revoked.isRevoked("mallory", now() - 10)).toBe(true);
      answer = { status: 503, body: { error: "down" } };
      await polls(4);
      expect(revoked.isRevoked("mallory", now() - 10)).toBe(true);
      expect(errors).toHaveLength(1);
      answer = { status: 200, body: { unexpected: true } };
      await polls(3);
      expect(errors).toHaveLength(1);
      expect(revoked.isRevoked("mallory", now() - 10)).toBe(true);
    } finally {
      revoked.stop();
    }
  });

  it("forgets an entry once every token it voids has expired, and counts a token without iat as voided", async () => {
    serve([{ sub: "old", revoked_before: now() - 2 }], 1);
    const revoked = pollRevokedSubjects({ url: feedUrl, intervalMs: 50 });
    try {
      await revoked.ready;
      expect(revoked.isRevoked("old", undefined)).toBe(false);
      serve([{ sub: "fresh", revoked_before: now() + 60 }]);
      await polls(2);
      expect(revoked.isRevoked("fresh", undefined)).toBe(true);
      expect(revoked.isRevoked("fresh", now() + 120)).toBe(false);
    } finally {
      revoked.stop();
    }
  });

  it("stops polling when stopped", async () => {
    const revoked = pollRevokedSubjects({ url: feedUrl, intervalMs: 20 });
    await revoked.ready;
    revoked.stop();
    await sleep(50);
    const counted = requests;
    await sleep(200);
    expect(requests).toBe(counted);
  });
});
