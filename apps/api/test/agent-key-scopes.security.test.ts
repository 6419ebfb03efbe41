import type { AgentKey, IssuedAgentKey, Project, Task, Worker } from "@taskflow/contracts";
import { schema } from "@taskflow/core";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ProblemBody } from "./support/task-fixtures.ts";
import { startTestApi, type TestApi } from "./support/test-api.ts";

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api.close());

type ScopeProblem = ProblemBody & { scopeDenied?: { action: string; projectId: string } };

/** An organization with projects P and Q, and an agent who is a member of both (role given). */
async function stage(role: "member" | "admin" = "member") {
  const orgId = api.newTenant();
  const owner = await api.signIn({ orgId, orgRole: "owner" });
  const project = async (name: string) =>
    (await api.call<Project>("POST", "/api/projects", { token: owner.token, body: { name } })).body;
  const p = await project("P");
  const q = await project("Q");
  const registered = await api.call<{ agent: Worker; apiKey: IssuedAgentKey }>("POST", "/api/agents", {
    token: owner.token,
    body: { handle: "scoped", name: "Scoped", agentType: "claude-code" },
  });
  expect(registered.status).toBe(201);
  const agent = registered.body.agent;
  for (const projectId of [p.id, q.id]) {
    await api.db.insert(schema.projectMembers).values({ projectId, workerId: agent.id, role });
  }
  /** Issues the agent a new key (revoking the others) with these scopes. */
  const keyWith = async (body: Record<string, unknown>) => {
    const res = await api.call<IssuedAgentKey>("POST", `/api/agents/${agent.id}/keys`, {
      token: owner.token,
      body,
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body;
  };
  return { orgId, owner, p, q, agent, firstKey: registered.body.apiKey, keyWith };
}

async function denials(orgId: string) {
  return api.db
    .select()
    .from(schema.auditLog)
    .where(and(eq(schema.auditLog.tenantId, orgId), eq(schema.auditLog.action, "agent_key.scope_denied")));
}

describe("scoped, expiring agent keys", () => {
  it("issues keys with scopes and an expiry, and lists them with their last characters, never the secret", async () => {
    const { owner, p, agent, firstKey, keyWith } = await stage();
    expect(firstKey.scopes).toEqual({
      projectIds: null,
      actions: ["read", "write_tasks", "claim", "comment"],
    });
    const ninety = Date.now() + 90 * 86_400_000;
    expect(Math.abs(Date.parse(firstKey.expiresAt ?? "") - ninety)).toBeLessThan(60_000);

    const key = await keyWith({
      expiresInDays: 7,
      scopes: { projectIds: [p.id], actions: ["read", "read"] },
    });
    expect(key.scopes).toEqual({ projectIds: [p.id], actions: ["read"] });
    expect(Math.abs(Date.parse(key.expiresAt ?? "") - (Date.now() + 7 * 86_400_000))).toBeLessThan(60_000);

    const listed = await api.call<AgentKey[]>("GET", `/api/agents/${agent.id}/keys`, { token: owner.token });
    expect(listed.status).toBe(200);
    const shown = listed.body.find((k) => k.id === key.id);
    expect(shown).toMatchObject({
      lastChars: key.key.slice(-4),
      scopes: { projectIds: [p.id], actions: ["read"] },
    });
    expect(JSON.stringify(listed.body)).not.toContain(key.key.slice(3));
    const [row] = await api.db.select().from(schema.agentKeys).where(eq(schema.agentKeys.id, key.id));
    expect(row).toMatchObject({ projectIds: [p.id], actions: ["read"] });
  });

  it("refuses bad scopes and lifetimes: unknown projects, unknown actions, 0 or 366 days", async () => {
    const { owner, agent } = await stage();
    const issue = (body: Record<string, unknown>) =>
      api.call<ProblemBody>("POST", `/api/agents/${agent.id}/keys`, { token: owner.token, body });
    const unknownProject = await issue({ scopes: { projectIds: ["00000000-0000-4000-8000-000000000000"] } });
    expect(unknownProject.status).toBe(422);
    expect(unknownProject.body.errors?.[0]?.field).toBe("body.scopes.projectIds");
    expect((await issue({ scopes: { actions: ["delete_everything"] } })).status).toBe(400);
    expect((await issue({ scopes: { actions: [] } })).status).toBe(400);
    expect((await issue({ expiresInDays: 0 })).status).toBe(400);
    expect((await issue({ expiresInDays: 366 })).status).toBe(400);
    const registered = await api.call<ProblemBody>("POST", "/api/agents", {
      token: owner.token,
      body: { handle: "forever", name: "x", agentType: "x", expiresInDays: null },
    });
    expect(registered.status).toBe(400);
  });

  it("registers an agent with a scoped first key", async () => {
    const { owner, p } = await stage();
    const res = await api.call<{ apiKey: IssuedAgentKey }>("POST", "/api/agents", {
      token: owner.token,
      body: {
        handle: "reader",
        name: "Reader",
        agentType: "x",
        expiresInDays: 30,
        scopes: { projectIds: [p.id], actions: ["read", "comment"] },
      },
    });
    expect(res.status).toBe(201);
    expect(res.body.apiKey.scopes).toEqual({ projectIds: [p.id], actions: ["read", "comment"] });
    expect(
      Math.abs(Date.parse(res.body.apiKey.expiresAt ?? "") - (Date.now() + 30 * 86_400_000)),
    ).toBeLessThan(60_000);
  });

  it("answers 403 for a key scoped to P used on Q, audits the refused use, and still works on P", async () => {
    const { orgId, p, q, agent, keyWith } = await stage();
    const key = await keyWith({ scopes: { projectIds: [p.id] } });
    const onQ = await api.call<ScopeProblem>("POST", `/api/projects/${q.id}/tasks`, {
      token: key.key,
      body: { title: "Out of scope" },
    });
    expect(onQ.status).toBe(403);
    expect(onQ.body.code).toBe("forbidden");
    expect(onQ.body.detail).toMatch(/not scoped to project/);
    expect(onQ.body.scopeDenied).toEqual({ action: "write_tasks", projectId: q.id });
    const readQ = await api.call<ScopeProblem>("GET", `/api/projects/${q.id}/tasks`, { token: key.key });
    expect(readQ.status).toBe(403);
    expect(readQ.body.scopeDenied).toEqual({ action: "read", projectId: q.id });
    expect(await api.db.select().from(schema.tasks).where(eq(schema.tasks.projectId, q.id))).toEqual([]);

    const rows = await denials(orgId);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({
      entityType: "agent_key",
      entityId: key.id,
      projectId: q.id,
      actorId: agent.id,
      actorType: "agent",
      channel: "api",
      after: { action: "write_tasks", projectId: q.id },
    });

    const onP = await api.call<Task>("POST", `/api/projects/${p.id}/tasks`, {
      token: key.key,
      body: { title: "In scope" },
    });
    expect(onP.status).toBe(201);
    const projects = await api.call<Project[]>("GET", "/api/projects", { token: key.key });
    expect(projects.body.map((project) => project.id)).toEqual([p.id]);
    const recent = await api.call<Task[]>("GET", "/api/tasks/recent", { token: key.key });
    expect(recent.status).toBe(200);
    expect(recent.body.every((task) => task.projectId === p.id)).toBe(true);
  });

  it("lets a read-only key list tasks but not create, change or comment on one (403, audited)", async () => {
    const { orgId, owner, p, keyWith } = await stage();
    const task = await api.call<Task>("POST", `/api/projects/${p.id}/tasks`, {
      token: owner.token,
      body: { title: "Read me" },
    });
    const key = await keyWith({ scopes: { actions: ["read"] } });
    const listed = await api.call<{ items: Task[] }>("GET", `/api/projects/${p.id}/tasks`, {
      token: key.key,
    });
    expect(listed.status).toBe(200);
    expect(listed.body.items.map((t) => t.id)).toEqual([task.body.id]);
    expect((await api.call("GET", `/api/tasks/${task.body.id}`, { token: key.key })).status).toBe(200);

    const create = await api.call<ScopeProblem>("POST", `/api/projects/${p.id}/tasks`, {
      token: key.key,
      body: { title: "Not allowed" },
    });
    expect(create.status).toBe(403);
    expect(create.body.detail).toMatch(/lacks the "write_tasks" scope/);
    expect(create.body.scopeDenied).toEqual({ action: "write_tasks", projectId: p.id });
    const progress = await api.call<ScopeProblem>("PATCH", `/api/tasks/${task.body.id}/progress`, {
      token: key.key,
      body: { progress: 50 },
    });
    expect(progress.status).toBe(403);
    const comment = await api.call<ScopeProblem>("POST", `/api/tasks/${task.body.id}/comments`, {
      token: key.key,
      body: { body: "hello" },
    });
    expect(comment.status).toBe(403);
    expect(comment.body.scopeDenied).toEqual({ action: "comment", projectId: p.id });
    const del = await api.call<ScopeProblem>("DELETE", `/api/tasks/${task.body.id}`, { token: key.key });
    expect(del.status).toBe(403);

    expect((await denials(orgId)).map((row) => (row.after as { action: string }).action)).toEqual([
      "write_tasks",
      "write_tasks",
      "comment",
      "manage",
    ]);
    const [unchanged] = await api.db.select().from(schema.tasks).where(eq(schema.tasks.id, task.body.id));
    expect(unchanged?.progress).toBe(0);
  });

  it("keeps manage out of default keys even when the agent's role would allow it", async () => {
    const { orgId, p, keyWith } = await stage("admin");
    const defaultKey = await keyWith({});
    const rename = await api.call<ScopeProblem>("PATCH", `/api/projects/${p.id}`, {
      token: defaultKey.key,
      body: { name: "Renamed" },
    });
    expect(rename.status).toBe(403);
    expect(rename.body.scopeDenied).toEqual({ action: "manage", projectId: p.id });
    const manager = await keyWith({ scopes: { actions: ["read", "manage"] } });
    const renamed = await api.call<Project>("PATCH", `/api/projects/${p.id}`, {
      token: manager.key,
      body: { name: "Renamed" },
    });
    expect(renamed.status).toBe(200);
    expect(await denials(orgId)).toHaveLength(1);
  });

  it("still answers 404, not 403, for a project the agent is not a member of (nothing leaks)", async () => {
    const { orgId, owner, p, keyWith } = await stage();
    const key = await keyWith({ scopes: { projectIds: [p.id] } });
    const hidden = await api.call<Project>("POST", "/api/projects", {
      token: owner.token,
      body: { name: "H" },
    });
    expect((await api.call("GET", `/api/projects/${hidden.body.id}`, { token: key.key })).status).toBe(404);
    expect(await denials(orgId)).toHaveLength(0);
  });

  it("refuses an expired scoped key with 401", async () => {
    const { p, keyWith } = await stage();
    const key = await keyWith({ scopes: { projectIds: [p.id] } });
    expect((await api.call("GET", `/api/projects/${p.id}`, { token: key.key })).status).toBe(200);
    await api.db
      .update(schema.agentKeys)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(schema.agentKeys.id, key.id));
    const refused = await api.call<ProblemBody>("GET", `/api/projects/${p.id}`, { token: key.key });
    expect(refused.status).toBe(401);
    expect(refused.body.code).toBe("unauthenticated");
  });
});
