import type { Member, Project } from "@taskflow/contracts";
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

/** A tenant with a project owned by an org member, and a few more people in the organization. */
async function team() {
  const orgId = api.newTenant();
  const owner = await api.signIn({ orgId, orgRole: "member" });
  const ada = await api.signIn({ orgId, orgRole: "member" });
  const bob = await api.signIn({ orgId, orgRole: "member" });
  const project = await fx.createProject(owner.token, "Apollo");
  return { orgId, owner, ada, bob, project };
}

const members = (projectId: string) => `/api/projects/${projectId}/members`;

describe("project members", () => {
  it("adds people and agents, lists them owners first, and audits it", async () => {
    const { orgId, owner, ada, project } = await team();
    const orgAdmin = await api.signIn({ orgId, orgRole: "admin" });
    const { agent } = await fx.registerAgent(orgAdmin.token, "@helper");
    const added = await api.call<Member>("POST", members(project.id), {
      token: owner.token,
      body: { workerId: ada.workerId, role: "viewer" },
    });
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({
      projectId: project.id,
      role: "viewer",
      worker: { id: ada.workerId, kind: "human", handle: ada.handle },
    });
    const agentAdded = await api.call<Member>("POST", members(project.id), {
      token: owner.token,
      body: { workerId: agent.id },
    });
    expect(agentAdded.status).toBe(201);
    expect(agentAdded.body.role).toBe("member");
    expect(agentAdded.body.worker.kind).toBe("agent");

    const list = await api.call<Member[]>("GET", members(project.id), { token: ada.token });
    expect(list.status).toBe(200);
    expect(list.body.map((m) => [m.worker.id, m.role])).toEqual([
      [owner.workerId, "owner"],
      [agent.id, "member"],
      [ada.workerId, "viewer"],
    ]);

    const audit = (await fx.auditRows(orgId)).filter((r) => r.action === "member.added");
    expect(audit.map((r) => [r.entityId, r.actorId, r.actorType, r.projectId])).toContainEqual([
      agent.id,
      owner.workerId,
      "human",
      project.id,
    ]);
  });

  it("refuses a worker twice, an unknown worker, another tenant's worker and a deleted agent", async () => {
    const { orgId, owner, ada, project } = await team();
    await fx.addMember(owner.token, project.id, ada.workerId);
    const twice = await api.call<ProblemBody>("POST", members(project.id), {
      token: owner.token,
      body: { workerId: ada.workerId },
    });
    expect(twice.status).toBe(409);
    expect(twice.body.errors?.[0]?.field).toBe("body.workerId");

    const stranger = await api.signIn({ orgId: api.newTenant() });
    const orgAdmin = await api.signIn({ orgId, orgRole: "owner" });
    const { agent } = await fx.registerAgent(orgAdmin.token, "@gone");
    expect((await api.call("DELETE", `/api/agents/${agent.id}`, { token: orgAdmin.token })).status).toBe(204);
    for (const workerId of [stranger.workerId, agent.id, "00000000-0000-4000-8000-000000000000"]) {
      const res = await api.call<ProblemBody>("POST", members(project.id), {
        token: owner.token,
        body: { workerId },
      });
      expect(res.status).toBe(422);
      expect(res.body.errors?.[0]?.field).toBe("body.workerId");
    }
  });

  it("validates the body and the path", async () => {
    const { owner, project } = await team();
    const cases: [unknown, string][] = [
      [{}, "body.workerId"],
      [{ workerId: "nope" }, "body.workerId"],
      [{ workerId: owner.workerId, role: "boss" }, "body.role"],
      [{ workerId: owner.workerId, extra: 1 }, "body"],
    ];
    for (const [body, field] of cases) {
      const res = await api.call<ProblemBody>("POST", members(project.id), { token: owner.token, body });
      expect(res.status).toBe(400);
      expect(res.body.errors?.map((e) => e.field)).toContain(field);
    }
    const badPath = await api.call<ProblemBody>("PATCH", `${members(project.id)}/not-a-uuid`, {
      token: owner.token,
      body: { role: "admin" },
    });
    expect(badPath.status).toBe(400);
    expect(badPath.body.errors?.[0]?.field).toBe("path.workerId");
  });

  it("changes roles; admins manage admins, members and viewers but not owners", async () => {
    const { owner, ada, bob, project } = await team();
    await fx.addMember(owner.token, project.id, ada.workerId, "admin");
    await fx.addMember(owner.token, project.id, bob.workerId, "viewer");
    const promoted = await api.call<Member>("PATCH", `${members(project.id)}/${bob.workerId}`, {
      token: ada.token,
      body: { role: "member" },
    });
    expect(promoted.status).toBe(200);
    expect(promoted.body.role).toBe("member");

    const toOwner = await api.call("PATCH", `${members(project.id)}/${bob.workerId}`, {
      token: ada.token,
      body: { role: "owner" },
    });
    expect(toOwner.status).toBe(403);
    const demoteOwner = await api.call("PATCH", `${members(project.id)}/${owner.workerId}`, {
      token: ada.token,
      body: { role: "member" },
    });
    expect(demoteOwner.status).toBe(403);
    const removeOwner = await api.call("DELETE", `${members(project.id)}/${owner.workerId}`, {
      token: ada.token,
    });
    expect(removeOwner.status).toBe(403);

    const byOwner = await api.call<Member>("PATCH", `${members(project.id)}/${bob.workerId}`, {
      token: owner.token,
      body: { role: "owner" },
    });
    expect(byOwner.status).toBe(200);
    expect(byOwner.body.role).toBe("owner");

    const notMember = await api.call("PATCH", `${members(project.id)}/00000000-0000-4000-8000-000000000000`, {
      token: owner.token,
      body: { role: "viewer" },
    });
    expect(notMember.status).toBe(404);

    const rows = await api.db.query.auditLog.findMany({
      where: (a, { and, eq }) => and(eq(a.projectId, project.id), eq(a.action, "member.role_changed")),
      orderBy: (a, { asc }) => asc(a.id),
    });
    expect(rows.map((r) => [r.before, r.after])).toEqual([
      [
        { workerId: bob.workerId, role: "viewer" },
        { workerId: bob.workerId, role: "member" },
      ],
      [
        { workerId: bob.workerId, role: "member" },
        { workerId: bob.workerId, role: "owner" },
      ],
    ]);
  });

  it("members and viewers cannot manage members", async () => {
    const { owner, ada, bob, project } = await team();
    await fx.addMember(owner.token, project.id, ada.workerId, "member");
    await fx.addMember(owner.token, project.id, bob.workerId, "viewer");
    for (const token of [ada.token, bob.token]) {
      const add = await api.call("POST", members(project.id), {
        token,
        body: { workerId: owner.workerId, role: "viewer" },
      });
      expect(add.status).toBe(403);
    }
    const change = await api.call("PATCH", `${members(project.id)}/${bob.workerId}`, {
      token: ada.token,
      body: { role: "member" },
    });
    expect(change.status).toBe(403);
    const remove = await api.call("DELETE", `${members(project.id)}/${bob.workerId}`, { token: ada.token });
    expect(remove.status).toBe(403);
  });

  it("protects the last owner from leaving, removal and demotion", async () => {
    const { owner, ada, project } = await team();
    const leave = await api.call<ProblemBody>("DELETE", `${members(project.id)}/${owner.workerId}`, {
      token: owner.token,
    });
    expect(leave.status).toBe(409);
    expect(leave.body.code).toBe("last_owner");
    const demote = await api.call<ProblemBody>("PATCH", `${members(project.id)}/${owner.workerId}`, {
      token: owner.token,
      body: { role: "admin" },
    });
    expect(demote.status).toBe(409);
    expect(demote.body.code).toBe("last_owner");

    // With a second owner the first may leave; the project's owner passes to the other.
    await fx.addMember(owner.token, project.id, ada.workerId, "owner");
    const left = await api.call("DELETE", `${members(project.id)}/${owner.workerId}`, { token: owner.token });
    expect(left.status).toBe(204);
    const after = await api.call<Project>("GET", `/api/projects/${project.id}`, { token: ada.token });
    expect(after.body.ownerId).toBe(ada.workerId);
    const nowLast = await api.call<ProblemBody>("DELETE", `${members(project.id)}/${ada.workerId}`, {
      token: ada.token,
    });
    expect(nowLast.status).toBe(409);
    const gone = await api.call("GET", `/api/projects/${project.id}`, { token: owner.token });
    expect(gone.status).toBe(404);
  });

  it("two owners removing each other at once leave one owner", async () => {
    const { owner, ada, project } = await team();
    await fx.addMember(owner.token, project.id, ada.workerId, "owner");
    const results = await Promise.all([
      api.call("DELETE", `${members(project.id)}/${ada.workerId}`, { token: owner.token }),
      api.call("DELETE", `${members(project.id)}/${owner.workerId}`, { token: ada.token }),
    ]);
    // The loser either finds itself already removed (404) or is the last owner (409).
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 204)).toHaveLength(1);
    expect(statuses.filter((s) => s !== 204)[0]).toBeOneOf([404, 409]);
    const owners = await api.db
      .select()
      .from(schema.projectMembers)
      .where(eq(schema.projectMembers.projectId, project.id));
    expect(owners.filter((m) => m.role === "owner")).toHaveLength(1);
  });

  it("lets any member leave, and unassigns their open tasks there", async () => {
    const { orgId, owner, ada, project } = await team();
    await fx.addMember(owner.token, project.id, ada.workerId, "viewer");
    const open = await fx.insertTask(orgId, project.id, owner.workerId, { assigneeId: ada.workerId });
    const done = await fx.insertTask(orgId, project.id, owner.workerId, {
      assigneeId: ada.workerId,
      status: "completed",
    });
    const left = await api.call("DELETE", `${members(project.id)}/${ada.workerId}`, { token: ada.token });
    expect(left.status).toBe(204);
    const [openAfter] = await api.db.select().from(schema.tasks).where(eq(schema.tasks.id, open.id));
    const [doneAfter] = await api.db.select().from(schema.tasks).where(eq(schema.tasks.id, done.id));
    expect(openAfter?.assigneeId).toBeNull();
    expect(openAfter?.version).toBe(open.version + 1);
    expect(doneAfter?.assigneeId).toBe(ada.workerId);
    const rows = await fx.auditRows(orgId);
    expect(rows.map((r) => r.action)).toEqual(expect.arrayContaining(["member.removed", "task.unassigned"]));
    expect(rows.find((r) => r.action === "member.removed")).toMatchObject({
      actorId: ada.workerId,
      entityId: ada.workerId,
      before: { workerId: ada.workerId, role: "viewer" },
      after: null,
    });
    const gone = await api.call("GET", `/api/projects/${project.id}`, { token: ada.token });
    expect(gone.status).toBe(404);
  });

  it("hides a project's members from people outside it", async () => {
    const { orgId, project } = await team();
    const outsider = await api.signIn({ orgId, orgRole: "member" });
    expect((await api.call("GET", members(project.id), { token: outsider.token })).status).toBe(404);
    const orgAdmin = await api.signIn({ orgId, orgRole: "admin" });
    expect((await api.call("GET", members(project.id), { token: orgAdmin.token })).status).toBe(200);
  });
});
