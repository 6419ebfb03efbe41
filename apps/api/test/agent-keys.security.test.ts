import type { IssuedAgentKey, Project, Worker } from "@taskflow/contracts";
import { schema } from "@taskflow/core";
import { eq } from "drizzle-orm";
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

async function agentWithKey(handle = "@agent") {
  const orgId = api.newTenant();
  const owner = await api.signIn({ orgId, orgRole: "owner" });
  const { agent, apiKey } = await fx.registerAgent(owner.token, handle);
  expect((await api.call("GET", "/api/workers/me", { token: apiKey.key })).status).toBe(200);
  return { orgId, owner, agent, apiKey };
}

async function expectRefused(key: string) {
  const res = await api.call<{ code: string }>("GET", "/api/workers/me", { token: key });
  expect(res.status).toBe(401);
  expect(res.body.code).toBe("unauthenticated");
  expect(res.headers.get("www-authenticate")).toMatch(/^Bearer/);
  // Every way a key fails reads the same: nothing tells revoked from unknown.
  return res.body;
}

describe("agent keys that no longer work", () => {
  it("refuses a revoked key with 401", async () => {
    const { owner, agent, apiKey } = await agentWithKey();
    await api.call("DELETE", `/api/agents/${agent.id}/keys/${apiKey.id}`, { token: owner.token });
    await expectRefused(apiKey.key);
  });

  it("refuses the old key after a rotation, and accepts the new one", async () => {
    const { owner, agent, apiKey } = await agentWithKey();
    const rotated = await api.call<IssuedAgentKey>("POST", `/api/agents/${agent.id}/keys`, {
      token: owner.token,
    });
    await expectRefused(apiKey.key);
    const me = await api.call<Worker>("GET", "/api/workers/me", { token: rotated.body.key });
    expect(me.body.id).toBe(agent.id);
  });

  it("refuses a deleted agent's key", async () => {
    const { owner, agent, apiKey } = await agentWithKey();
    await api.call("DELETE", `/api/agents/${agent.id}`, { token: owner.token });
    await expectRefused(apiKey.key);
  });

  it("refuses an expired key", async () => {
    const { apiKey } = await agentWithKey();
    await api.db
      .update(schema.agentKeys)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(schema.agentKeys.id, apiKey.id));
    await expectRefused(apiKey.key);
  });

  it("refuses a key whose secret part was altered", async () => {
    const { apiKey } = await agentWithKey();
    const last = apiKey.key.at(-1) === "A" ? "B" : "A";
    const unknown = await expectRefused(`${apiKey.key.slice(0, -1)}${last}`);
    const revoked = await expectRefused(
      "tf_AAAAAAAAAAAA_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
    );
    expect(unknown).toMatchObject({ code: revoked.code });
  });

  it("never stores the key itself", async () => {
    const { apiKey } = await agentWithKey();
    const [row] = await api.db.select().from(schema.agentKeys).where(eq(schema.agentKeys.id, apiKey.id));
    expect(JSON.stringify(row)).not.toContain(apiKey.key.slice("tf_".length + 13));
  });
});

describe("an agent key of one organization", () => {
  it("never sees another organization's projects, workers or agents", async () => {
    const a = await agentWithKey("@a-agent");
    const b = await agentWithKey("@b-agent");
    const bProject = await fx.createProject(b.owner.token, "B only");
    const bTask = await api.call<{ id: string }>("POST", `/api/projects/${bProject.id}/tasks`, {
      token: b.owner.token,
      body: { title: "B task" },
    });
    const key = a.apiKey.key;
    for (const path of [
      `/api/projects/${bProject.id}`,
      `/api/projects/${bProject.id}/tasks`,
      `/api/projects/${bProject.id}/members`,
      `/api/projects/${bProject.id}/audit`,
      `/api/tasks/${bTask.body.id}`,
      `/api/tasks/${bTask.body.id}/audit`,
      `/api/members/search?q=b&projectId=${bProject.id}`,
    ]) {
      expect((await api.call("GET", path, { token: key })).status, path).toBe(404);
    }
    const workers = await api.call<Worker[]>("GET", "/api/workers", { token: key });
    // An agent sees only itself and the workers it shares a project with (core workerVisibility): none here.
    expect(workers.body.map((w) => w.id)).toEqual([a.agent.id]);
    const search = await api.call<Worker[]>("GET", "/api/members/search?q=agent", { token: key });
    expect(search.body.map((w) => w.id)).toEqual([a.agent.id]);
    const projects = await api.call<Project[]>("GET", "/api/projects", { token: key });
    expect(projects.body).toEqual([]);
    // And B's owner cannot touch A's agent or its keys.
    expect((await api.call("GET", `/api/agents/${a.agent.id}`, { token: b.owner.token })).status).toBe(404);
    expect(
      (await api.call("DELETE", `/api/agents/${a.agent.id}/keys/${a.apiKey.id}`, { token: b.owner.token }))
        .status,
    ).toBe(404);
    expect((await api.call("GET", "/api/workers/me", { token: key })).status).toBe(200);
  });
});
