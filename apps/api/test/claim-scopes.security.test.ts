import type { IssuedAgentKey, Project, Task, Worker } from "@taskflow/contracts";
import { schema } from "@taskflow/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApi, type TestApi } from "./support/test-api.ts";

/**
 * Claims honour the agent key's scope (found by the MCP tenant matrix, issue 8): a key without
 * the `claim` action claims nothing, a key scoped to project P never gets a task of project Q from
 * claim-next, and claim-next naming another tenant's project answers 404 like every other route.
 */

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api.close());

async function stage() {
  const orgId = api.newTenant();
  const owner = await api.signIn({ orgId, orgRole: "owner" });
  const project = async (name: string) =>
    (await api.call<Project>("POST", "/api/projects", { token: owner.token, body: { name } })).body;
  const p = await project("P");
  const q = await project("Q");
  const registered = await api.call<{ agent: Worker; apiKey: IssuedAgentKey }>("POST", "/api/agents", {
    token: owner.token,
    body: { handle: "claimer", name: "Claimer", agentType: "claude-code" },
  });
  const agent = registered.body.agent;
  for (const projectId of [p.id, q.id]) {
    await api.db.insert(schema.projectMembers).values({ projectId, workerId: agent.id, role: "member" });
  }
  const task = async (projectId: string, title: string, priority = "medium") => {
    const res = await api.call<Task>("POST", `/api/projects/${projectId}/tasks`, {
      token: owner.token,
      body: { title, priority },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body;
  };
  const keyWith = async (scopes: Record<string, unknown>) =>
    (
      await api.call<IssuedAgentKey>("POST", `/api/agents/${agent.id}/keys`, {
        token: owner.token,
        body: { scopes },
      })
    ).body.key;
  return { owner, p, q, task, keyWith };
}

describe("claims and key scopes", () => {
  it("refuses claims to a key without the claim action", async () => {
    const { p, task, keyWith } = await stage();
    const t = await task(p.id, "Not for you");
    const key = await keyWith({ actions: ["read", "write_tasks"] });
    const next = await api.call("POST", "/api/tasks/claim-next", { token: key, body: {} });
    expect(next.status).toBe(403);
    const named = await api.call("POST", "/api/tasks/claim-next", { token: key, body: { projectId: p.id } });
    expect(named.status).toBe(403);
    const one = await api.call("POST", `/api/tasks/${t.id}/claim`, { token: key });
    expect(one.status).toBe(403);
  });

  it("claims only in the projects the key is scoped to", async () => {
    const { p, q, task, keyWith } = await stage();
    await task(q.id, "Q's critical task", "critical");
    const inP = await task(p.id, "P's task");
    const key = await keyWith({ projectIds: [p.id] });
    const next = await api.call<{ task: Task | null }>("POST", "/api/tasks/claim-next", {
      token: key,
      body: {},
    });
    expect(next.status).toBe(200);
    expect(next.body.task?.id).toBe(inP.id);
    const again = await api.call<{ task: Task | null }>("POST", "/api/tasks/claim-next", {
      token: key,
      body: {},
    });
    expect(again.body.task).toBeNull();
    const named = await api.call("POST", "/api/tasks/claim-next", { token: key, body: { projectId: q.id } });
    expect(named.status).toBe(403);
  });

  it("answers 404 for claim-next in another tenant's project", async () => {
    const a = await stage();
    const b = await stage();
    const key = await b.keyWith({});
    const res = await api.call("POST", "/api/tasks/claim-next", { token: key, body: { projectId: a.p.id } });
    expect(res.status).toBe(404);
  });
});
