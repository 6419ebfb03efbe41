import type { IssuedPersonalToken } from "@taskflow/contracts";
import { revokeVoidedPersonalTokens, schema } from "@taskflow/core";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApi, type TestApi } from "./support/test-api.ts";

/**
 * A banned person's personal access tokens. The SSO's revocation feed names a voided person only while
 * its own tokens live (minutes); a personal access token lives for weeks. So the first use of a voided
 * person's token revokes it, and their older ones, in the database: lifting the ban, or the feed
 * forgetting it, does not bring them back.
 */

const voided = new Map<string, number>();
const isSubjectRevoked = (sub: string, issuedAt: number) =>
  issuedAt < (voided.get(sub) ?? Number.NEGATIVE_INFINITY);
let api: TestApi;
beforeAll(async () => {
  api = await startTestApi(undefined, { isSubjectRevoked });
});
afterAll(() => api.close());

const script = (token: string) =>
  fetch(`${api.baseUrl}/api/projects`, { headers: { authorization: `Bearer ${token}` } });

describe("a banned person's personal access tokens", () => {
  it("stop at the next use, for good, the person's older tokens with them", async () => {
    const orgId = api.newTenant();
    const ada = await api.signIn({ orgId, orgRole: "member" });
    const issue = async (name: string) =>
      (
        await api.call<IssuedPersonalToken>("POST", "/api/personal-tokens", {
          token: ada.token,
          body: { name, scopes: ["taskflow:read"] },
        })
      ).body;
    const older = await issue("Older");
    const used = await issue("Used");
    expect((await script(used.token)).status).toBe(200);

    voided.set(ada.sub, Math.ceil(Date.now() / 1000) + 1);
    expect((await script(used.token)).status).toBe(401);
    const rows = await api.db
      .select({ id: schema.personalAccessTokens.id, revokedAt: schema.personalAccessTokens.revokedAt })
      .from(schema.personalAccessTokens)
      .where(eq(schema.personalAccessTokens.workerId, ada.workerId));
    expect(rows.every((row) => row.revokedAt !== null)).toBe(true);
    expect(rows.map((row) => row.id).sort()).toEqual([older.id, used.id].sort());
    const trail = await api.db.query.auditLog.findMany({
      where: (a, { and, eq }) => and(eq(a.tenantId, orgId), eq(a.action, "personal_token.revoked")),
    });
    expect(trail.map((row) => [row.actorType, row.channel])).toEqual([
      ["system", "system"],
      ["system", "system"],
    ]);

    // The feed forgets (or the ban is lifted): the tokens stay revoked.
    voided.delete(ada.sub);
    expect((await script(older.token)).status).toBe(401);
    expect((await script(used.token)).status).toBe(401);
  });

  it("stop even unused: the API's sweeper revokes them while the SSO still names the person", async () => {
    const orgId = api.newTenant();
    const bob = await api.signIn({ orgId, orgRole: "member" });
    const carol = await api.signIn({ orgId, orgRole: "member" });
    const issue = async (token: string) =>
      (
        await api.call<IssuedPersonalToken>("POST", "/api/personal-tokens", {
          token,
          body: { name: "Cron", scopes: ["taskflow:read"] },
        })
      ).body;
    const bobs = await issue(bob.token);
    const carols = await issue(carol.token);
    voided.set(bob.sub, Math.ceil(Date.now() / 1000) + 1);
    expect(await revokeVoidedPersonalTokens(api.db, isSubjectRevoked)).toBe(1);
    expect(await revokeVoidedPersonalTokens(api.db, isSubjectRevoked)).toBe(0);
    // The feed forgets him; his token, never used meanwhile, stays revoked. Carol's was never touched.
    voided.delete(bob.sub);
    expect((await script(bobs.token)).status).toBe(401);
    expect((await script(carols.token)).status).toBe(200);
  });
});
