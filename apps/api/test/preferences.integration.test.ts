import type { Preferences } from "@taskflow/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixtures } from "./support/fixtures.ts";
import { startTestApi, type TestApi } from "./support/test-api.ts";

let api: TestApi;
let fx: ReturnType<typeof fixtures>;
beforeAll(async () => {
  api = await startTestApi();
  fx = fixtures(api);
});
afterAll(() => api.close());

type ProblemBody = { status?: number; errors?: { field: string; message: string }[] };
const path = "/api/workers/me/preferences";

async function twoPeople() {
  const orgId = api.newTenant();
  const ada = await api.signIn({ orgId, orgRole: "owner" });
  const bob = await api.signIn({ orgId, orgRole: "member" });
  return { orgId, ada, bob };
}

describe("a person's time zone", () => {
  it("is null until chosen, then kept in its canonical spelling and audited", async () => {
    const { orgId, ada } = await twoPeople();
    const first = await api.call<Preferences>("GET", path, { token: ada.token });
    expect(first).toMatchObject({ status: 200, body: { timeZone: null } });

    const set = await api.call<Preferences>("PATCH", path, {
      token: ada.token,
      body: { timeZone: "asia/tokyo" },
    });
    expect(set).toMatchObject({ status: 200, body: { timeZone: "Asia/Tokyo" } });
    expect((await api.call<Preferences>("GET", path, { token: ada.token })).body.timeZone).toBe("Asia/Tokyo");

    const audit = (await fx.auditRows(orgId)).filter((row) => row.action === "preferences.changed");
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      entityId: ada.workerId,
      before: { timeZone: null },
      after: { timeZone: "Asia/Tokyo" },
    });

    // The same zone again is no change; null goes back to the browser's.
    await api.call("PATCH", path, { token: ada.token, body: { timeZone: "Asia/Tokyo" } });
    const cleared = await api.call<Preferences>("PATCH", path, {
      token: ada.token,
      body: { timeZone: null },
    });
    expect(cleared.body.timeZone).toBeNull();
    expect((await fx.auditRows(orgId)).filter((row) => row.action === "preferences.changed")).toHaveLength(2);
  });

  it.each([
    ["an unknown name", "Mars/Olympus_Mons"],
    ["an offset, which is not a zone", "+09:00"],
    ["a number", 9],
    ["an overlong name", `Europe/${"x".repeat(80)}`],
    ["script", "<script>alert(1)</script>"],
  ])("refuses %s with a problem naming timeZone", async (_label, timeZone) => {
    const { ada } = await twoPeople();
    const res = await api.call<ProblemBody>("PATCH", path, { token: ada.token, body: { timeZone } });
    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).toMatch(/application\/problem\+json/);
    expect(res.body.errors?.map((e) => e.field)).toEqual(["body.timeZone"]);
    expect((await api.call<Preferences>("GET", path, { token: ada.token })).body.timeZone).toBeNull();
  });

  it("refuses fields it does not know", async () => {
    const { ada, bob } = await twoPeople();
    // Naming someone else in the body is not a way in: the body has no such field.
    const res = await api.call<ProblemBody>("PATCH", path, {
      token: ada.token,
      body: { timeZone: "Europe/Paris", workerId: bob.workerId },
    });
    expect(res.status).toBe(400);
    expect((await api.call<Preferences>("GET", path, { token: bob.token })).body.timeZone).toBeNull();
  });

  it("is one's own: one person's choice does not change another's, and no path names another person", async () => {
    const { ada, bob } = await twoPeople();
    await api.call("PATCH", path, { token: ada.token, body: { timeZone: "Asia/Tokyo" } });
    await api.call("PATCH", path, { token: bob.token, body: { timeZone: "America/New_York" } });
    expect((await api.call<Preferences>("GET", path, { token: ada.token })).body.timeZone).toBe("Asia/Tokyo");
    expect((await api.call<Preferences>("GET", path, { token: bob.token })).body.timeZone).toBe(
      "America/New_York",
    );
    for (const other of [`/api/workers/${bob.workerId}/preferences`, `/api/workers/${bob.workerId}`]) {
      const res = await api.call("PATCH", other, { token: ada.token, body: { timeZone: "Europe/Paris" } });
      expect(res.status, other).toBe(404);
    }
    expect((await api.call<Preferences>("GET", path, { token: bob.token })).body.timeZone).toBe(
      "America/New_York",
    );
  });

  it("refuses an agent key: agents read and write dates in UTC", async () => {
    const { ada } = await twoPeople();
    const { apiKey } = await fx.registerAgent(ada.token, "@zone-bot");
    expect((await api.call("GET", path, { token: apiKey.key })).status).toBe(403);
    const res = await api.call("PATCH", path, { token: apiKey.key, body: { timeZone: "Asia/Tokyo" } });
    expect(res.status).toBe(403);
  });
});
