import type { AgentKey, IssuedAgentKey, Member, Project, Task, Worker } from "@taskflow/contracts";
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

type ProblemBody = { code: string; errors?: { field: string }[]; detail?: string };
const day = 24 * 60 * 60 * 1000;

async function orgOwner() {
  const orgId = api.newTenant();
  const owner = await api.signIn({ orgId, orgRole: "owner" });
  return { orgId, owner };
}

describe("registering agents", () => {
  it("registers an agent with a key shown once, expiring in 90 days, and audits both", async () => {
    const { orgId, owner } = await orgOwner();
    const res = await api.call<{ agent: Worker; apiKey: IssuedAgentKey }>("POST", "/api/agents", {
      token: owner.token,
      body: { handle: "claude-code", name: "Claude Code", agentType: "claude-code", capabilities: ["code"] },
    });
    expect(res.status).toBe(201);
    const { agent, apiKey } = res.body;
    expect(agent).toMatchObject({
      kind: "agent",
      handle: "@claude-code",
      name: "Claude Code",
      agentType: "claude-code",
      capabilities: ["code"],
      email: null,
      deletedAt: null,
    });
    expect(apiKey.key).toMatch(/^tf_[A-Za-z0-9_-]{12}_[A-Za-z0-9_-]{43}$/);
    expect(apiKey.key.endsWith(apiKey.lastChars)).toBe(true);
    expect(apiKey.revokedAt).toBeNull();
    const lifetime = Date.parse(apiKey.expiresAt ?? "") - Date.parse(apiKey.createdAt);
    expect(lifetime).toBe(90 * day);

    const rows = await fx.auditRows(orgId);
    const registered = rows.find((r) => r.action === "agent.registered");
    const issued = rows.find((r) => r.action === "agent_key.issued");
    expect(registered).toMatchObject({ entityType: "worker", entityId: agent.id, actorId: owner.workerId });
    expect(issued).toMatchObject({ entityType: "agent_key", entityId: apiKey.id, actorType: "human" });
    const [stored] = await api.db.select().from(schema.agentKeys).where(eq(schema.agentKeys.id, apiKey.id));
    const trail = JSON.stringify(rows);
    expect(trail).not.toContain(apiKey.key.slice("tf_".length + 13));
    expect(trail).not.toContain(stored?.secretHash);
    expect(trail).not.toContain(stored?.salt);
  });

  it("refuses a taken handle with 409 naming body.handle, in this organization only", async () => {
    const { owner } = await orgOwner();
    await fx.registerAgent(owner.token, "@twin");
    const again = await api.call<ProblemBody>("POST", "/api/agents", {
      token: owner.token,
      body: { handle: "twin", name: "Twin", agentType: "x" },
    });
    expect(again.status).toBe(409);
    expect(again.body.errors?.[0]?.field).toBe("body.handle");
    expect(again.body.detail).toContain("@twin");
    const human = await api.call<ProblemBody>("POST", "/api/agents", {
      token: owner.token,
      body: { handle: owner.handle, name: "Impostor", agentType: "x" },
    });
    expect(human.status).toBe(409);
    const elsewhere = await orgOwner();
    await fx.registerAgent(elsewhere.owner.token, "@twin");
  });

  it("validates the registration", async () => {
    const { owner } = await orgOwner();
    const cases: [unknown, string][] = [
      [{ name: "x", agentType: "x" }, "body.handle"],
      [{ handle: "Bad Handle!", name: "x", agentType: "x" }, "body.handle"],
      [{ handle: "ok-handle", name: "", agentType: "x" }, "body.name"],
      [{ handle: "ok-handle", name: "x" }, "body.agentType"],
      [{ handle: "ok-handle", name: "x", agentType: "x", capabilities: ["NOT OK"] }, "body.capabilities.0"],
      [{ handle: "ok-handle", name: "x", agentType: "x", admin: true }, "body"],
    ];
    for (const [body, field] of cases) {
      const res = await api.call<ProblemBody>("POST", "/api/agents", { token: owner.token, body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.errors?.map((e) => e.field)).toContain(field);
    }
  });

  it("is for the organization's owners and admins only", async () => {
    const { orgId, owner } = await orgOwner();
    const admin = await api.signIn({ orgId, orgRole: "admin" });
    const member = await api.signIn({ orgId, orgRole: "member" });
    const { agent, apiKey } = await fx.registerAgent(admin.token, "@by-admin");
    const body = { handle: "nope", name: "Nope", agentType: "x" };
    for (const token of [member.token, apiKey.key]) {
      expect((await api.call("POST", "/api/agents", { token, body })).status).toBe(403);
      expect((await api.call("GET", "/api/agents", { token })).status).toBe(403);
      expect((await api.call("GET", `/api/agents/${agent.id}`, { token })).status).toBe(403);
      expect(
        (await api.call("PATCH", `/api/agents/${agent.id}`, { token, body: { name: "x" } })).status,
      ).toBe(403);
      expect((await api.call("DELETE", `/api/agents/${agent.id}`, { token })).status).toBe(403);
      expect((await api.call("GET", `/api/agents/${agent.id}/keys`, { token })).status).toBe(403);
      expect((await api.call("POST", `/api/agents/${agent.id}/keys`, { token })).status).toBe(403);
      expect((await api.call("DELETE", `/api/agents/${agent.id}/keys/${apiKey.id}`, { token })).status).toBe(
        403,
      );
    }
    expect((await api.call("POST", "/api/agents", { body })).status).toBe(401);
    expect((await api.call("GET", "/api/agents", { token: owner.token })).status).toBe(200);
  });
});

describe("managing agents", () => {
  it("lists, gets and updates agents, auditing the change", async () => {
    const { orgId, owner } = await orgOwner();
    const { agent: a } = await fx.registerAgent(owner.token, "@alpha");
    const { agent: b } = await fx.registerAgent(owner.token, "@beta");
    const list = await api.call<Worker[]>("GET", "/api/agents", { token: owner.token });
    expect(list.body.map((w) => w.handle)).toEqual(["@alpha", "@beta"]);

    const got = await api.call<Worker>("GET", `/api/agents/${a.id}`, { token: owner.token });
    expect(got.body).toEqual(a);
    const human = await api.call("GET", `/api/agents/${owner.workerId}`, { token: owner.token });
    expect(human.status).toBe(404);

    const patched = await api.call<Worker>("PATCH", `/api/agents/${b.id}`, {
      token: owner.token,
      body: { name: "Beta Two", capabilities: ["review", "code"] },
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({
      handle: "@beta",
      name: "Beta Two",
      capabilities: ["review", "code"],
    });
    const row = (await fx.auditRows(orgId)).find((r) => r.action === "agent.updated");
    expect(row).toMatchObject({
      entityId: b.id,
      before: expect.objectContaining({ name: "@beta" }),
      after: expect.objectContaining({ name: "Beta Two" }),
    });

    for (const body of [{}, { handle: "@renamed" }, { capabilities: "code" }]) {
      const bad = await api.call("PATCH", `/api/agents/${b.id}`, { token: owner.token, body });
      expect(bad.status, JSON.stringify(body)).toBe(400);
    }
    const unknown = await api.call("PATCH", "/api/agents/00000000-0000-4000-8000-000000000000", {
      token: owner.token,
      body: { name: "x" },
    });
    expect(unknown.status).toBe(404);
  });

  it("deletes an agent softly: keys revoked, memberships removed, open tasks unassigned, all audited", async () => {
    const { orgId, owner } = await orgOwner();
    const project = await fx.createProject(owner.token, "Ops");
    const { agent, apiKey } = await fx.registerAgent(owner.token, "@doomed");
    await fx.addMember(owner.token, project.id, agent.id, "member");
    const open = await fx.insertTask(orgId, project.id, owner.workerId, { assigneeId: agent.id });
    const done = await fx.insertTask(orgId, project.id, owner.workerId, {
      assigneeId: agent.id,
      status: "completed",
    });

    const deleted = await api.call("DELETE", `/api/agents/${agent.id}`, { token: owner.token });
    expect(deleted.status).toBe(204);

    expect((await api.call("GET", "/api/workers/me", { token: apiKey.key })).status).toBe(401);
    // Gone like any deleted object: 404 for the agent and its keys, absent from the lists...
    expect((await api.call("GET", `/api/agents/${agent.id}`, { token: owner.token })).status).toBe(404);
    expect((await api.call("GET", `/api/agents/${agent.id}/keys`, { token: owner.token })).status).toBe(404);
    const list = await api.call<Worker[]>("GET", "/api/agents", { token: owner.token });
    expect(list.body.map((w) => w.id)).not.toContain(agent.id);
    const workers = await api.call<Worker[]>("GET", "/api/workers", { token: owner.token });
    expect(workers.body.map((w) => w.id)).not.toContain(agent.id);
    // ...but still named for the audit trail when asked.
    const withDeleted = await api.call<Worker[]>("GET", "/api/workers?includeDeleted=true", {
      token: owner.token,
    });
    const named = withDeleted.body.find((w) => w.id === agent.id);
    expect(named?.handle).toBe("@doomed");
    expect(named?.deletedAt).not.toBeNull();
    const keys = await api.db.select().from(schema.agentKeys).where(eq(schema.agentKeys.workerId, agent.id));
    expect(keys.length).toBeGreaterThan(0);
    expect(keys.every((k) => k.revokedAt !== null)).toBe(true);
    const members = await api.call<Member[]>("GET", `/api/projects/${project.id}/members`, {
      token: owner.token,
    });
    expect(members.body.map((m) => m.worker.id)).not.toContain(agent.id);
    const [openAfter] = await api.db.select().from(schema.tasks).where(eq(schema.tasks.id, open.id));
    const [doneAfter] = await api.db.select().from(schema.tasks).where(eq(schema.tasks.id, done.id));
    expect(openAfter?.assigneeId).toBeNull();
    expect(doneAfter?.assigneeId).toBe(agent.id);

    const actions = (await fx.auditRows(orgId)).map((r) => r.action);
    expect(actions).toEqual(
      expect.arrayContaining(["agent_key.revoked", "member.removed", "task.unassigned", "agent.deleted"]),
    );
    // The worker row stays, so the trail still names the agent.
    const [row] = await api.db.select().from(schema.workers).where(eq(schema.workers.id, agent.id));
    expect(row?.handle).toBe("@doomed");

    expect((await api.call("DELETE", `/api/agents/${agent.id}`, { token: owner.token })).status).toBe(404);
    expect(
      (await api.call("PATCH", `/api/agents/${agent.id}`, { token: owner.token, body: { name: "x" } }))
        .status,
    ).toBe(404);
    expect((await api.call("POST", `/api/agents/${agent.id}/keys`, { token: owner.token })).status).toBe(404);
  });

  it("refuses to delete an agent that is the last owner of a project", async () => {
    const { owner } = await orgOwner();
    const project = await fx.createProject(owner.token, "Handed over");
    const { agent } = await fx.registerAgent(owner.token, "@keeper");
    await fx.addMember(owner.token, project.id, agent.id, "owner");
    const leave = await api.call("DELETE", `/api/projects/${project.id}/members/${owner.workerId}`, {
      token: owner.token,
    });
    expect(leave.status).toBe(204);
    const refused = await api.call<ProblemBody>("DELETE", `/api/agents/${agent.id}`, { token: owner.token });
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe("last_owner");
    const still = await api.call<Worker>("GET", `/api/agents/${agent.id}`, { token: owner.token });
    expect(still.body.deletedAt).toBeNull();
  });
});

describe("agent keys", () => {
  it("lists keys without their secret, rotates and revokes them", async () => {
    const { orgId, owner } = await orgOwner();
    const { agent, apiKey: first } = await fx.registerAgent(owner.token, "@rotor");
    const listed = await api.call<AgentKey[]>("GET", `/api/agents/${agent.id}/keys`, { token: owner.token });
    expect(listed.status).toBe(200);
    expect(listed.body).toHaveLength(1);
    expect(Object.keys(listed.body[0] ?? {}).sort()).toEqual(
      ["createdAt", "expiresAt", "id", "lastChars", "lastUsedAt", "revokedAt", "scopes"].sort(),
    );

    const rotated = await api.call<IssuedAgentKey>("POST", `/api/agents/${agent.id}/keys`, {
      token: owner.token,
      body: { expiresInDays: 7 },
    });
    expect(rotated.status).toBe(201);
    expect(rotated.body.key).not.toBe(first.key);
    expect(Date.parse(rotated.body.expiresAt ?? "") - Date.parse(rotated.body.createdAt)).toBe(7 * day);
    const after = await api.call<AgentKey[]>("GET", `/api/agents/${agent.id}/keys`, { token: owner.token });
    expect(after.body.map((k) => [k.id, k.revokedAt === null])).toEqual([
      [rotated.body.id, true],
      [first.id, false],
    ]);
    // Without a body: the default lifetime.
    const plain = await api.call<IssuedAgentKey>("POST", `/api/agents/${agent.id}/keys`, {
      token: owner.token,
    });
    expect(plain.status).toBe(201);
    expect(Date.parse(plain.body.expiresAt ?? "") - Date.parse(plain.body.createdAt)).toBe(90 * day);
    for (const body of [{ expiresInDays: 0 }, { expiresInDays: 366 }, { expiresInDays: 1, scope: "all" }]) {
      const bad = await api.call("POST", `/api/agents/${agent.id}/keys`, { token: owner.token, body });
      expect(bad.status, JSON.stringify(body)).toBe(400);
    }

    const revoke = await api.call("DELETE", `/api/agents/${agent.id}/keys/${plain.body.id}`, {
      token: owner.token,
    });
    expect(revoke.status).toBe(204);
    const again = await api.call("DELETE", `/api/agents/${agent.id}/keys/${plain.body.id}`, {
      token: owner.token,
    });
    expect(again.status).toBe(204);
    const unknown = await api.call("DELETE", `/api/agents/${agent.id}/keys/${agent.id}`, {
      token: owner.token,
    });
    expect(unknown.status).toBe(404);
    const { agent: other } = await fx.registerAgent(owner.token, "@other");
    const mismatched = await api.call("DELETE", `/api/agents/${other.id}/keys/${rotated.body.id}`, {
      token: owner.token,
    });
    expect(mismatched.status).toBe(404);

    const rows = (await fx.auditRows(orgId)).filter((r) => r.entityType === "agent_key");
    expect(rows.filter((r) => r.action === "agent_key.issued")).toHaveLength(4);
    // first (rotation) + rotated (second rotation) + plain (revoked once; the repeat changes nothing)
    expect(rows.filter((r) => r.action === "agent_key.revoked")).toHaveLength(3);
  });

  it("records when a key was last used, at most once a minute", async () => {
    const { owner } = await orgOwner();
    const { agent, apiKey } = await fx.registerAgent(owner.token, "@busy");
    expect(apiKey.lastUsedAt).toBeNull();
    await api.call("GET", "/api/workers/me", { token: apiKey.key });
    const [first] = await api.db.select().from(schema.agentKeys).where(eq(schema.agentKeys.id, apiKey.id));
    expect(first?.lastUsedAt).toBeInstanceOf(Date);
    await api.call("GET", "/api/workers/me", { token: apiKey.key });
    const [second] = await api.db.select().from(schema.agentKeys).where(eq(schema.agentKeys.id, apiKey.id));
    expect(second?.lastUsedAt?.getTime()).toBe(first?.lastUsedAt?.getTime());
    // A minute later it moves again.
    await api.db
      .update(schema.agentKeys)
      .set({ lastUsedAt: new Date(Date.now() - 61_000) })
      .where(eq(schema.agentKeys.id, apiKey.id));
    await api.call("GET", "/api/workers/me", { token: apiKey.key });
    const keys = await api.call<AgentKey[]>("GET", `/api/agents/${agent.id}/keys`, { token: owner.token });
    expect(Date.now() - Date.parse(keys.body[0]?.lastUsedAt ?? "")).toBeLessThan(10_000);
  });
});

describe("an agent working through its key", () => {
  it("acts as itself, sees a project once it is a member, and is audited as an agent", async () => {
    const { orgId, owner } = await orgOwner();
    const project = await fx.createProject(owner.token, "Shared work");
    await api.call("POST", `/api/projects/${project.id}/tasks`, {
      token: owner.token,
      body: { title: "Existing task" },
    });
    const { agent, apiKey } = await fx.registerAgent(owner.token, "@worker-bee");

    const me = await api.call<Worker>("GET", "/api/workers/me", { token: apiKey.key });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ id: agent.id, kind: "agent", handle: "@worker-bee" });

    const before = await api.call("GET", `/api/projects/${project.id}/tasks`, { token: apiKey.key });
    expect(before.status).toBe(404);
    const projects = await api.call<Project[]>("GET", "/api/projects", { token: apiKey.key });
    expect(projects.body).toEqual([]);

    await fx.addMember(owner.token, project.id, agent.id, "member");
    const tasks = await api.call<{ items: Task[] }>("GET", `/api/projects/${project.id}/tasks`, {
      token: apiKey.key,
    });
    expect(tasks.status).toBe(200);
    expect(tasks.body.items.map((t) => t.title)).toContain("Existing task");

    const created = await api.call<Task>("POST", `/api/projects/${project.id}/tasks`, {
      token: apiKey.key,
      body: { title: "Made by an agent" },
    });
    expect(created.status).toBe(201);
    expect(created.body.creator.id).toBe(agent.id);
    const rows = await api.db.query.auditLog.findMany({
      where: (a, { and, eq }) => and(eq(a.tenantId, orgId), eq(a.entityId, created.body.id)),
    });
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows)
      expect(row).toMatchObject({ actorId: agent.id, actorType: "agent", channel: "api" });

    // The agent cannot manage agents, nor create projects of its own.
    expect((await api.call("GET", "/api/agents", { token: apiKey.key })).status).toBe(403);
  });
});
