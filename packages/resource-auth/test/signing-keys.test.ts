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

function verifier() {
  const refreshErrors: unknown[] = [];
  const verify = createAccessTokenVerifier({
    issuer: issuer.issuer,
    jwksUrl: issuer.jwksUrl,
    audience,
    keys: short,
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

  it("stay in use while the key set fails or hangs, past their refresh time, without making callers wait", async () => {
    issuer.setJwks("up");
    const { verify, refreshErrors } = verifier();
    const token = await issuer.mint({ orgId: "org-b" });
    await verify(token);

    issuer.setJwks("failing");
    await sleep(300); // stale now
    const before = issuer.jwksRequests();
    for (let i = 0; i < 20; i++) expect((await verify(token)).tenantId).toBe("org-b");
    // One background refresh tried (and failed); the next waits retryAfterFailureMs.
    await sleep(50);
    expect(issuer.jwksRequests() - before).toBe(1);
    expect(refreshErrors.length).toBe(1);

    issuer.setJwks("hanging");
    await sleep(300);
    const started = performance.now();
    for (let i = 0; i < 5; i++) expect((await verify(token)).tenantId).toBe("org-b");
    // Far less than the fetch's 2 s timeout: nobody waited on the hanging key set.
    expect(performance.now() - started).toBeLessThan(1_000);
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
    const { verify } = verifier();
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
