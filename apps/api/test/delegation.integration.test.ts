import type { IssuedAgentKey, Project, Task, TaskChain, Worker } from "@taskflow/contracts";
import { schema } from "@taskflow/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ProblemBody } from "./support/task-fixtures.ts";
import { startTestApi, type TestApi } from "./support/test-api.ts";

let api: TestApi;
beforeAll(async () => {
  // A cap of 2 keeps the chains short; the default (5) is the domain's.
  api = await startTestApi(undefined, { delegationMaxDepth: 2 });
});
afterAll(() => api.close());

/** An organization with a project, its owner, and agents a1…a4 who are members of it. */
async function stage() {
  const orgId = api.newTenant();
  const owner = await api.signIn({ orgId, orgRole: "owner" });
  const stranger = await api.signIn({ orgId, orgRole: "member" });
  const project = (
    await api.call<Project>("POST", "/api/projects", { token: owner.token, body: { name: "P" } })
  ).body;
  const agents: { id: string; key: string }[] = [];
  for (const handle of ["a1", "a2", "a3", "a4"]) {
    const res = await api.call<{ agent: Worker; apiKey: IssuedAgentKey }>("POST", "/api/agents", {
      token: owner.token,
      body: { handle, name: handle, agentType: "claude-code" },
    });
    expect(res.status).toBe(201);
    await api.db
      .insert(schema.projectMembers)
      .values({ projectId: project.id, workerId: res.body.agent.id, role: "member" });
    agents.push({ id: res.body.agent.id, key: res.body.apiKey.key });
  }
  const [a1, a2, a3, a4] = agents as [
    (typeof agents)[0],
    (typeof agents)[0],
    (typeof agents)[0],
    (typeof agents)[0],
  ];
  const root = await api.call<Task>("POST", `/api/projects/${project.id}/tasks`, {
    token: owner.token,
    body: { title: "Root", assigneeId: a1.id },
  });
  expect(root.status).toBe(201);
  return { owner, stranger, project, a1, a2, a3, a4, root: root.body };
}

const subtask = (token: string, parentId: string, body: Record<string, unknown>) =>
  api.call<Omit<Task, "status"> & ProblemBody>("POST", `/api/tasks/${parentId}/subtasks`, {
    token,
    body: { title: "Sub", ...body },
  });

describe("delegation chain", () => {
  it("records who delegated, stops an agent chain at the cap, and does not cap people", async () => {
    const { owner, project, a1, a2, a3, a4, root } = await stage();
    const s1 = await subtask(a1.key, root.id, { title: "S1", assigneeId: a2.id });
    expect(s1.status).toBe(201);
    expect(s1.body.delegatedById).toBe(a1.id);
    const s2 = await subtask(a2.key, s1.body.id, { title: "S2", assigneeId: a3.id });
    expect(s2.status).toBe(201);
    expect(s2.body.delegatedById).toBe(a2.id);

    // Two links above: a third delegation is refused, by either creating route.
    const s3 = await subtask(a3.key, s2.body.id, { title: "S3", assigneeId: a4.id });
    expect(s3.status).toBe(409);
    expect(s3.body.code).toBe("conflict");
    expect(s3.body.detail).toMatch(/delegation depth cap reached.*2 delegation link.*at most 2/);
    const viaCreate = await api.call<ProblemBody>("POST", `/api/projects/${project.id}/tasks`, {
      token: a3.key,
      body: { title: "S3", parentId: s2.body.id, assigneeId: a4.id },
    });
    expect(viaCreate.status).toBe(409);

    // Splitting work off for oneself is not delegation: allowed, and not recorded.
    const own = await subtask(a3.key, s2.body.id, { title: "Mine", assigneeId: a3.id });
    expect(own.status).toBe(201);
    expect(own.body.delegatedById).toBeNull();

    // A person is not capped, and is not recorded as a delegating agent.
    const byPerson = await subtask(owner.token, s2.body.id, { title: "S3 by a person", assigneeId: a4.id });
    expect(byPerson.status).toBe(201);
    expect(byPerson.body.delegatedById).toBeNull();
  });

  it("caps a delegation made by assigning an existing subtask as it caps one made at creation (issue 12, finding 7)", async () => {
    const { owner, a1, a2, a3, a4, root } = await stage();
    const s1 = (await subtask(a1.key, root.id, { title: "S1", assigneeId: a2.id })).body;
    const s2 = (await subtask(a2.key, s1.id, { title: "S2", assigneeId: a3.id })).body;
    // Created for nobody (no delegation yet), then handed to a4 by assigning: the third link.
    const s3 = await subtask(a3.key, s2.id, { title: "S3" });
    expect(s3.status).toBe(201);
    expect(s3.body.delegatedById).toBeNull();
    const assigned = await api.call<ProblemBody>("PATCH", `/api/tasks/${s3.body.id}/assign`, {
      token: a3.key,
      body: { assigneeId: a4.id },
    });
    expect(assigned.status, JSON.stringify(assigned.body)).toBe(409);
    expect(assigned.body.detail).toMatch(/delegation depth cap reached/);
    const kept = await api.call<Task>("GET", `/api/tasks/${s3.body.id}`, { token: owner.token });
    expect(kept.body).toMatchObject({ assignee: null, delegatedById: null, version: 1 });

    // Below the cap, assigning records the delegation as creating with an assignee does.
    const t1 = (await subtask(a1.key, root.id, { title: "T1" })).body;
    const handed = await api.call<Task>("PATCH", `/api/tasks/${t1.id}/assign`, {
      token: a1.key,
      body: { assigneeId: a2.id },
    });
    expect(handed.status).toBe(200);
    expect(handed.body.delegatedById).toBe(a1.id);
  });

  it("keeps a link an agent made until a person re-plans: self-assignment, unassignment or a claim cannot shorten the chain", async () => {
    const { owner, a1, a2, a3, a4, root } = await stage();
    const s1 = (await subtask(a1.key, root.id, { title: "S1", assigneeId: a2.id })).body;
    const s2 = (await subtask(a2.key, s1.id, { title: "S2", assigneeId: a3.id })).body;
    // a2 takes S1 back for itself, and a3 unassigns S2: the links stay, so the cap still holds.
    for (const [key, id, assigneeId] of [
      [a2.key, s1.id, a2.id],
      [a3.key, s2.id, null],
    ] as const) {
      const res = await api.call<Task>("PATCH", `/api/tasks/${id}/assign`, {
        token: key,
        body: { assigneeId },
      });
      expect(res.status).toBe(200);
      expect(res.body.delegatedById).not.toBeNull();
    }
    const claimed = await api.call<Task>("POST", `/api/tasks/${s2.id}/claim`, { token: a3.key });
    expect(claimed.status, JSON.stringify(claimed.body)).toBe(200);
    expect(claimed.body.delegatedById).toBe(a2.id);
    expect((await subtask(a3.key, s2.id, { title: "S3", assigneeId: a4.id })).status).toBe(409);

    // A person re-plans S2 (assigns it): the link is gone, and the agents may delegate below it again.
    const replanned = await api.call<Task>("PATCH", `/api/tasks/${s2.id}/assign`, {
      token: owner.token,
      body: { assigneeId: a3.id },
    });
    expect(replanned.body.delegatedById).toBeNull();
    const s3 = await subtask(a3.key, s2.id, { title: "S3", assigneeId: a4.id });
    expect(s3.status).toBe(201);
    expect(s3.body.delegatedById).toBe(a3.id);
  });

  it("shows the chain from the root down to the task, with assignees and delegators", async () => {
    const { owner, stranger, a1, a2, a3, root } = await stage();
    const s1 = (await subtask(a1.key, root.id, { title: "S1", assigneeId: a2.id })).body;
    const s2 = (await subtask(a2.key, s1.id, { title: "S2", assigneeId: a3.id })).body;
    const chain = await api.call<TaskChain>("GET", `/api/tasks/${s2.id}/chain`, { token: a3.key });
    expect(chain.status).toBe(200);
    expect(
      chain.body.chain.map((link) => ({
        id: link.id,
        title: link.title,
        status: link.status,
        assignee: link.assignee?.id,
        delegatedById: link.delegatedById,
      })),
    ).toEqual([
      { id: root.id, title: "Root", status: "pending", assignee: a1.id, delegatedById: null },
      { id: s1.id, title: "S1", status: "pending", assignee: a2.id, delegatedById: a1.id },
      { id: s2.id, title: "S2", status: "pending", assignee: a3.id, delegatedById: a2.id },
    ]);
    const ofRoot = await api.call<TaskChain>("GET", `/api/tasks/${root.id}/chain`, { token: owner.token });
    expect(ofRoot.body.chain.map((link) => link.id)).toEqual([root.id]);
    expect((await api.call("GET", `/api/tasks/${s2.id}/chain`, { token: stranger.token })).status).toBe(404);
  });
});
