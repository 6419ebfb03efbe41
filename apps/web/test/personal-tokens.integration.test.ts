// The account page's mutations (what its server actions run) against the real API on a real database: a person
// signed in through the dashboard makes a token, a script calls the API with it as curl would, the person
// revokes it, and the script is refused. The mistakes a person can make come back naming the field.
import type { Project } from "@taskflow/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dashboardClientId, startTestApi, type TestApi } from "../../api/test/support/test-api.ts";
import { type ApiClient, createApiClient } from "../src/lib/api-client.ts";
import * as m from "../src/lib/mutations.ts";

let api: TestApi;
let dashboard: ApiClient;
let orgId: string;

const form = (fields: Record<string, string | string[]>) => {
  const data = new FormData();
  for (const [name, value] of Object.entries(fields)) {
    for (const one of Array.isArray(value) ? value : [value]) data.append(name, one);
  }
  return data;
};

/** A script: fetch and the token, nothing else. */
const script = (token: string, path: string) =>
  fetch(`${api.baseUrl}${path}`, { headers: { authorization: `Bearer ${token}` } });

beforeAll(async () => {
  api = await startTestApi();
  orgId = api.newTenant();
  const ada = await api.signIn({ orgId, orgRole: "member", azp: dashboardClientId });
  dashboard = createApiClient(api.baseUrl, ada.token);
}, 120_000);

afterAll(async () => {
  await api?.close();
});

describe("personal access tokens from the account page", () => {
  it("creates one with the scopes ticked, which a script uses until it is revoked", async () => {
    const created = await m.createPersonalToken(
      dashboard,
      form({ name: "Nightly report", scopes: ["taskflow:read", "taskflow:write"], expiresInDays: "14" }),
    );
    if (!created.ok) throw new Error(JSON.stringify(created));
    expect(created.data.token).toMatch(/^tfp_/);
    expect(created.data.scopes).toEqual(["taskflow:read", "taskflow:write"]);

    const listed = await script(created.data.token, "/api/projects");
    expect(listed.status).toBe(200);
    expect(((await listed.json()) as Project[]).map((p) => p.name)).toContain("My tasks");
    // Made on the dashboard (channel web), used by the script (channel pat).
    const trail = await api.db.query.auditLog.findMany({ where: (a, { eq }) => eq(a.tenantId, orgId) });
    expect(trail.find((r) => r.action === "personal_token.created")?.channel).toBe("web");

    const revoked = await m.revokePersonalToken(dashboard, created.data.id);
    expect(revoked).toMatchObject({ ok: true, message: "Token revoked: it no longer works." });
    expect((await script(created.data.token, "/api/projects")).status).toBe(401);
  });

  it("says which field is wrong: no scope ticked, no name, a lifetime out of range", async () => {
    const none = await m.createPersonalToken(dashboard, form({ name: "x", expiresInDays: "30" }));
    expect(none.ok).toBe(false);
    if (!none.ok) expect(Object.keys(none.errors ?? {})).toContain("scopes");
    const unnamed = await m.createPersonalToken(dashboard, form({ name: " ", scopes: "taskflow:read" }));
    if (!unnamed.ok) expect(Object.keys(unnamed.errors ?? {})).toContain("name");
    expect(unnamed.ok).toBe(false);
    const forever = await m.createPersonalToken(
      dashboard,
      form({ name: "x", scopes: "taskflow:read", expiresInDays: "999" }),
    );
    if (!forever.ok) expect(Object.keys(forever.errors ?? {})).toContain("expiresInDays");
    expect(forever.ok).toBe(false);
  });
});
