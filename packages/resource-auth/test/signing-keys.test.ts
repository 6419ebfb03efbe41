import { randomUUID } from "node:crypto";
import { generateKeyPair, SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAccessTokenVerifier, InvalidTokenError, SigningKeysUnavailableError } from "../src/index.ts";
import { startTestIssuer, type TestIssuer } from "../src/testing/index.ts";

/**
 * The signing-key cache against a real key set on loopback that can fail, hang and rotate, with
 * timings shortened so a test sees keys go stale: an unreachable SSO never turns a valid token
 * away once its key is known, a rotated key is picked up, made-up key ids do not hammer the SSO.
 */

const audience = "http://resource.test";
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
let issuer: TestIssuer;
beforeAll(async () => {
  issuer = await startTestIssuer({ audience });
});
afterAll(() => issuer.close());

const short = {
  refreshAfterMs: 200,
  unknownKeyCooldownMs: 200,
  timeoutMs: 2_000,
  retryAfterFailureMs: 200,
  staleIfErrorMs: 60_000,
};

/** Polls `done` for up to 10 s: for what happens in the background, however loaded the machine. */
async function until(done: () => boolean): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!done()) {
    if (Date.now() > deadline) throw new Error("timed out waiting for the background refresh");
    await sleep(20);
  }
}

function verifier(timings: Partial<typeof short> = {}) {
  const refreshErrors: unknown[] = [];
  const verify = createAccessTokenVerifier({
    issuer: issuer.issuer,
    jwksUrl: issuer.jwksUrl,
    audience,
    keys: { ...short, ...timings },
    onKeyRefreshError: (e) => refreshErrors.push(e),
  });
  return { verify, refreshErrors };
}

/** A well-formed token signed by a key the issuer never published, under a made-up key id. */
async function tokenWithUnknownKid(): Promise<string> {
  const { privateKey } = await generateKeyPair("ES256");
  return new SignJWT({ org_id: "org-x", org_role: "owner" })
    .setProtectedHeader({ alg: "ES256", kid: randomUUID() })
    .setSubject("someone")
    .setIssuer(issuer.issuer)
    .setAudience(audience)
    .setIssuedAt()
    .setExpirationTime("5m")
    .sign(privateKey);
}

describe("signing keys", () => {
  it("are fetched once for many tokens", async () => {
    issuer.setJwks("up");
    const { verify } = verifier();
    const before = issuer.jwksRequests();
    const token = await issuer.mint({ orgId: "org-a" });
    await Promise.all(Array.from({ length: 20 }, () => verify(token)));
    expect(issuer.jwksRequests() - before).toBe(1);
  });

  it("stay in use while the key set fails, past their refresh time, and a failed refresh is not retried at once", async () => {
    issuer.setJwks("up");
    // A retry delay far beyond the test, so "one attempt" holds however slowly this machine runs.
    const { verify, refreshErrors } = verifier({ retryAfterFailureMs: 60_000 });
    const token = await issuer.mint({ orgId: "org-b" });
    await verify(token);

    issuer.setJwks("failing");
    await sleep(300); // stale now
    const before = issuer.jwksRequests();
    for (let i = 0; i < 20; i++) expect((await verify(token)).tenantId).toBe("org-b");
    await until(() => refreshErrors.length > 0);
    for (let i = 0; i < 20; i++) expect((await verify(token)).tenantId).toBe("org-b");
    expect(issuer.jwksRequests() - before).toBe(1);
    expect(refreshErrors.length).toBe(1);
    issuer.setJwks("up");
  });

  it("stay in use while the key set hangs, without making callers wait for it", async () => {
    issuer.setJwks("up");
    const { verify } = verifier({ timeoutMs: 10_000 });
    const token = await issuer.mint({ orgId: "org-b" });
    await verify(token);

    issuer.setJwks("hanging");
    await sleep(300); // stale now: the next call starts a refresh that hangs
    const before = issuer.jwksRequests();
    const started = performance.now();
    for (let i = 0; i < 5; i++) expect((await verify(token)).tenantId).toBe("org-b");
    // A caller that waited for the hanging fetch would take its whole 10 s timeout.
    expect(performance.now() - started).toBeLessThan(5_000);
    await until(() => issuer.jwksRequests() > before);
    issuer.setJwks("up");
  });

  it("pick up a rotated key (new kid) by the first token signed with it", async () => {
    issuer.setJwks("up");
    const { verify } = verifier();
    await verify(await issuer.mint({ orgId: "org-c" }));
    await sleep(250); // past the unknown-key cooldown since the last fetch
    const kid = await issuer.rotate();
    const rotated = await issuer.mint({ orgId: "org-c" });
    expect(JSON.parse(Buffer.from(rotated.split(".")[0] as string, "base64url").toString()).kid).toBe(kid);
    expect((await verify(rotated)).tenantId).toBe("org-c");
  });

  it("ask the SSO about unknown key ids at most once per cooldown", async () => {
    issuer.setJwks("up");
    // A cooldown far beyond the test, so "at most once" holds however slowly this machine runs.
    const { verify } = verifier({ unknownKeyCooldownMs: 60_000 });
    await verify(await issuer.mint({ orgId: "org-d" }));
    const before = issuer.jwksRequests();
    const forged = await Promise.all(Array.from({ length: 30 }, () => tokenWithUnknownKid()));
    const results = await Promise.allSettled(forged.map((t) => verify(t)));
    expect(results.every((r) => r.status === "rejected" && r.reason instanceof InvalidTokenError)).toBe(true);
    expect(issuer.jwksRequests() - before).toBeLessThanOrEqual(1);
  });

  it("when none was ever fetched and the SSO is down: 'unavailable', not 'invalid token'", async () => {
    issuer.setJwks("failing");
    const { verify } = verifier();
    const token = await issuer.mint({ orgId: "org-e" });
    await expect(verify(token)).rejects.toBeInstanceOf(SigningKeysUnavailableError);
    issuer.setJwks("up");
    await sleep(250); // retryAfterFailureMs
    expect((await verify(token)).tenantId).toBe("org-e");
  });
});
