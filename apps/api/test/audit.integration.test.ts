import type { AuditEntry, AuditPage, Task } from "@taskflow/contracts";
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

type ProblemBody = { code: string; errors?: { field: string }[] };

async function projectWithHistory() {
  const orgId = api.newTenant();
  const owner = await api.signIn({ orgId, orgRole: "member" });
  const viewer = await api.signIn({ orgId, orgRole: "member" });
  const project = await fx.createProject(owner.token, "Audited");
  await fx.addMember(owner.token, project.id, viewer.workerId, "viewer");
  const task = await api.call<Task>("POST", `/api/projects/${project.id}/tasks`, {
    token: owner.token,
    body: { title: "Watched" },
  });
  expect(task.status).toBe(201);
  await api.call("PATCH", `/api/projects/${project.id}`, { token: owner.token, body: { description: "v2" } });
  return { orgId, owner, viewer, project, task: task.body };
}

async function allPages(path: string, token: string, limit: number): Promise<AuditEntry[]> {
  const seen: AuditEntry[] = [];
  let cursor: string | null = null;
  do {
    const sep = path.includes("?") ? "&" : "?";
    const url: string = `${path}${sep}limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`;
    const page: { status: number; body: AuditPage } = await api.call<AuditPage>("GET", url, { token });
    expect(page.status).toBe(200);
    expect(page.body.items.length).toBeLessThanOrEqual(limit);
    seen.push(...page.body.items);
    cursor = page.body.nextCursor;
  } while (cursor);
  return seen;
}

describe("GET /api/projects/{id}/audit", () => {
  it("shows a project's history newest first to anyone who may read it", async () => {
    const { owner, viewer, project, task } = await projectWithHistory();
    const page = await api.call<AuditPage>("GET", `/api/projects/${project.id}/audit`, {
      token: viewer.token,
    });
    expect(page.status).toBe(200);
    const actions = page.body.items.map((e) => e.action);
    expect(actions[0]).toBe("project.updated");
    expect(actions).toEqual(expect.arrayContaining(["project.created", "member.added", "task.created"]));
    expect(actions.at(-1)).toBe("project.created");
    const ids = page.body.items.map((e) => Number(e.id));
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    expect(page.body.nextCursor).toBeNull();
    const created = page.body.items.find((e) => e.action === "task.created");
    expect(created).toMatchObject({
      entityType: "task",
      entityId: task.id,
      taskId: task.id,
      projectId: project.id,
      actorId: owner.workerId,
      actorType: "human",
      channel: "api",
    });
  });

  it("pages with a cursor, never skipping or repeating, while rows are appended", async () => {
    const { owner, project } = await projectWithHistory();
    for (let i = 0; i < 6; i++) {
      await api.call("POST", `/api/projects/${project.id}/tasks`, {
        token: owner.token,
        body: { title: `T${i}` },
      });
    }
    const everything = await api.call<AuditPage>("GET", `/api/projects/${project.id}/audit?limit=100`, {
      token: owner.token,
    });
    const first = await api.call<AuditPage>("GET", `/api/projects/${project.id}/audit?limit=3`, {
      token: owner.token,
    });
    // Appended after the first page was read: it must not appear on later pages.
    await api.call("POST", `/api/projects/${project.id}/tasks`, {
      token: owner.token,
      body: { title: "Late" },
    });
    const rest: AuditEntry[] = [];
    let cursor = first.body.nextCursor;
    while (cursor) {
      const page: { body: AuditPage } = await api.call<AuditPage>(
        "GET",
        `/api/projects/${project.id}/audit?limit=3&cursor=${encodeURIComponent(cursor)}`,
        { token: owner.token },
      );
      rest.push(...page.body.items);
      cursor = page.body.nextCursor;
    }
    expect([...first.body.items, ...rest].map((e) => e.id)).toEqual(everything.body.items.map((e) => e.id));
    const paged = await allPages(`/api/projects/${project.id}/audit`, owner.token, 2);
    expect(new Set(paged.map((e) => e.id)).size).toBe(paged.length);
    const now = await api.call<AuditPage>("GET", `/api/projects/${project.id}/audit?limit=100`, {
      token: owner.token,
    });
    expect(paged.map((e) => e.id)).toEqual(now.body.items.map((e) => e.id));
    expect(paged.length).toBeGreaterThan(everything.body.items.length);
  });

  it("refuses a bad cursor or limit, and hides projects the caller cannot read", async () => {
    const { orgId, owner, project } = await projectWithHistory();
    const badCursor = await api.call<ProblemBody>("GET", `/api/projects/${project.id}/audit?cursor=bogus`, {
      token: owner.token,
    });
    expect(badCursor.status).toBe(422);
    expect(badCursor.body.errors?.[0]?.field).toBe("query.cursor");
    for (const q of ["limit=0", "limit=101", "limit=x", "order=asc"]) {
      const res = await api.call("GET", `/api/projects/${project.id}/audit?${q}`, { token: owner.token });
      expect(res.status, q).toBe(400);
    }
    const stranger = await api.signIn({ orgId, orgRole: "member" });
    expect(
      (await api.call("GET", `/api/projects/${project.id}/audit`, { token: stranger.token })).status,
    ).toBe(404);
  });
});

describe("GET /api/tasks/{id}/audit", () => {
  it("shows one task's history, newest first", async () => {
    const { owner, viewer, task } = await projectWithHistory();
    await api.call("POST", `/api/tasks/${task.id}/progress`, {
      token: owner.token,
      body: { progress: 40 },
    });
    await api.call("POST", `/api/tasks/${task.id}/comments`, { token: owner.token, body: { body: "noted" } });
    const entries = await allPages(`/api/tasks/${task.id}/audit`, viewer.token, 1);
    expect(entries.length).toBeGreaterThanOrEqual(2);
    expect(entries.every((e) => e.taskId === task.id)).toBe(true);
    expect(entries.at(-1)?.action).toBe("task.created");
  });

  it("answers 404 for an unknown task and for one the caller cannot see", async () => {
    const { orgId, task } = await projectWithHistory();
    const stranger = await api.signIn({ orgId, orgRole: "member" });
    const other = await api.signIn({ orgId: api.newTenant(), orgRole: "owner" });
    for (const token of [stranger.token, other.token]) {
      expect((await api.call("GET", `/api/tasks/${task.id}/audit`, { token })).status).toBe(404);
    }
    const unknown = await api.call("GET", "/api/tasks/00000000-0000-4000-8000-000000000000/audit", {
      token: other.token,
    });
    expect(unknown.status).toBe(404);
  });
});

describe("audit rows of deletions and releases", () => {
  it("records a project's deletion by the person, through the api, with its last state", async () => {
    const { orgId, owner, project } = await projectWithHistory();
    expect((await api.call("DELETE", `/api/projects/${project.id}`, { token: owner.token })).status).toBe(
      204,
    );
    // The project is gone, so its audit route answers 404; the trail itself stays.
    const rows = await fx.auditRows(orgId);
    const deleted = rows.filter((r) => r.action === "project.deleted");
    expect(deleted).toHaveLength(1);
    expect(deleted[0]).toMatchObject({
      entityType: "project",
      entityId: project.id,
      projectId: project.id,
      actorId: owner.workerId,
      actorType: "human",
      channel: "api",
      before: { id: project.id, name: "Audited", description: "v2" },
      after: null,
    });
  });

  it("records a task's release by the agent holding it, through the api", async () => {
    const { orgId, owner, project, task } = await projectWithHistory();
    // Agents are the organization's: its admin registers one.
    const admin = await api.signIn({ orgId, orgRole: "admin" });
    const { agent, apiKey } = await fx.registerAgent(admin.token, "@releaser");
    await fx.addMember(owner.token, project.id, agent.id);
    expect((await api.call("POST", `/api/tasks/${task.id}/claim`, { token: apiKey.key })).status).toBe(200);
    expect((await api.call("POST", `/api/tasks/${task.id}/release`, { token: apiKey.key })).status).toBe(200);
    const trail = await api.call<AuditPage>("GET", `/api/tasks/${task.id}/audit`, { token: owner.token });
    const released = trail.body.items.filter((e) => e.action === "task.released");
    expect(released).toHaveLength(1);
    expect(released[0]).toMatchObject({
      entityType: "task",
      entityId: task.id,
      taskId: task.id,
      actorId: agent.id,
      actorType: "agent",
      channel: "api",
      before: { claimedById: agent.id, status: "in_progress" },
      after: { claimedById: null, assigneeId: null, status: "pending" },
    });
  });
});

describe("the audit trail is append-only", () => {
  it("offers no route that changes or deletes it", async () => {
    const spec = await api.call<{ paths: Record<string, Record<string, unknown>> }>("GET", "/openapi.json");
    const auditPaths = Object.entries(spec.body.paths).filter(([path]) => path.includes("audit"));
    expect(auditPaths.length).toBeGreaterThan(0);
    for (const [path, operations] of auditPaths) expect(Object.keys(operations), path).toEqual(["get"]);
  });
});
