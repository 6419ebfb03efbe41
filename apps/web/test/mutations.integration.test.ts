// The dashboard's mutations (what its server actions run) against the real API in this process, on a real
// database, with signed tokens: what a person submits reaches the API as it should, and what the API answers
// comes back as something a person can act on.
import type { Member, Project, Task } from "@taskflow/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApi, type TestApi } from "../../api/test/support/test-api.ts";
import { type ApiClient, createApiClient } from "../src/lib/api-client.ts";
import * as m from "../src/lib/mutations.ts";

let api: TestApi;
let owner: ApiClient;
let member: ApiClient;
let memberId: string;
let project: Project;

const form = (fields: Record<string, string>) => {
  const data = new FormData();
  for (const [name, value] of Object.entries(fields)) data.set(name, value);
  return data;
};

function ok<T>(outcome: m.Outcome<T>): T {
  if (!outcome.ok) throw new Error(`expected success, got ${JSON.stringify(outcome)}`);
  return outcome.data;
}

beforeAll(async () => {
  api = await startTestApi();
  const orgId = api.newTenant();
  const ada = await api.signIn({ orgId, orgRole: "owner", name: "Ada" });
  const bob = await api.signIn({ orgId, orgRole: "member", name: "Bob" });
  owner = createApiClient(api.baseUrl, ada.token);
  member = createApiClient(api.baseUrl, bob.token);
  memberId = bob.workerId;
}, 120_000);

afterAll(async () => {
  await api?.close();
});

describe("projects and members", () => {
  it("creates, edits, refuses a delete without the slug typed, and names a bad field", async () => {
    project = ok(await m.createProject(owner, form({ name: "Apollo", description: "The launch" })));
    expect(project).toMatchObject({ name: "Apollo", slug: "apollo", role: "owner" });
    const edited = ok(
      await m.updateProject(
        owner,
        project.id,
        form({ name: "Apollo 11", slug: "apollo-11", description: "" }),
      ),
    );
    expect(edited).toMatchObject({ name: "Apollo 11", slug: "apollo-11" });
    project = edited;

    const badSlug = await m.updateProject(
      owner,
      project.id,
      form({ name: "X", slug: "Not A Slug", description: "" }),
    );
    expect(badSlug.ok).toBe(false);
    expect(!badSlug.ok && badSlug.errors?.slug).toBeTruthy();

    const unconfirmed = await m.deleteProject(owner, project, form({ confirm: "apollo" }));
    expect(unconfirmed).toMatchObject({ ok: false, errors: { confirm: "Type apollo-11 to confirm." } });
    expect((await owner.call<Project>(`/api/projects/${project.id}`)).ok).toBe(true);
  });

  it("adds a member, changes their role, and explains what a role may not do", async () => {
    ok(await m.addMember(owner, project.id, memberId, "viewer"));
    const task = ok(await m.createTask(owner, project.id, form({ title: "Check the fuel" })));
    const refused = await m.approveTask(member, task.id, form({}));
    expect(refused.ok).toBe(false);
    ok(await m.changeMemberRole(owner, project.id, memberId, "member"));
    const members = await owner.call<Member[]>(`/api/projects/${project.id}/members`);
    expect(members.ok && members.data.find((x) => x.worker.id === memberId)?.role).toBe("member");
  });
});

describe("tasks", () => {
  let task: Task;

  it("creates a task with every field, and names the fields the API refuses", async () => {
    const agent = ok(
      await m.registerAgent(owner, form({ handle: "fuel-bot", name: "Fuel bot", agentType: "claude-code" })),
    );
    ok(await m.addMember(owner, project.id, agent.agent.id, "member"));
    task = ok(
      await m.createTask(
        owner,
        project.id,
        form({
          title: "Write the checklist",
          description: "Every step",
          priority: "high",
          tags: "launch, docs",
          dueAt: "2026-07-16T13:32",
          recurrencePattern: "weekly",
          recurrenceMax: "4",
          assigneeId: agent.agent.id,
        }),
      ),
    );
    expect(task).toMatchObject({
      title: "Write the checklist",
      priority: "high",
      tags: ["launch", "docs"],
      dueAt: "2026-07-16T13:32:00.000Z",
      recurrence: { pattern: "weekly", max: 4, occurrence: 1 },
      assignee: { id: agent.agent.id, kind: "agent" },
    });
    const bad = await m.createTask(owner, project.id, form({ title: "   ", dueAt: "soon" }));
    expect(bad.ok).toBe(false);
    expect(!bad.ok && Object.keys(bad.errors ?? {}).sort()).toEqual(["dueAt", "title"]);
  });

  it("edits with the version it was opened with: a change made in between is refused, not overwritten", async () => {
    const saved = ok(
      await m.updateTask(
        member,
        task,
        form({
          title: "Write the launch checklist",
          priority: "critical",
          tags: "launch",
          assigneeId: memberId,
        }),
      ),
    );
    expect(saved).toMatchObject({
      title: "Write the launch checklist",
      priority: "critical",
      dueAt: null,
      recurrence: null,
    });
    expect(saved.assignee?.id).toBe(memberId);
    const stale = await m.updateTask(owner, task, form({ title: "Stale" }));
    expect(stale).toMatchObject({ ok: false, message: expect.stringContaining("Someone changed this task") });
    task = saved;
  });

  it("approve and reject: members are told who may, reviewers may, a rejection needs a reason", async () => {
    for (const status of ["in_progress", "review"])
      expect((await m.moveTask(member, task.id, status)).ok).toBe(true);
    const refused = await m.approveTask(member, task.id, form({}));
    expect(refused).toMatchObject({
      ok: false,
      message: expect.stringMatching(
        /^You are a member of this project; approving or rejecting tasks in review takes an admin/,
      ),
    });
    expect(await m.rejectTask(owner, task.id, form({ reason: " " }))).toMatchObject({
      ok: false,
      errors: { reason: expect.any(String) },
    });
    expect(ok(await m.rejectTask(owner, task.id, form({ reason: "Add the abort steps" }))).status).toBe(
      "in_progress",
    );
    expect((await m.moveTask(member, task.id, "review")).ok).toBe(true);
    expect(ok(await m.approveTask(owner, task.id, form({ note: "Good" }))).status).toBe("completed");
    const again = await m.approveTask(owner, task.id, form({}));
    expect(again).toMatchObject({ ok: false, message: expect.stringContaining("review") });
    ok(await m.addComment(member, task.id, form({ body: "Thanks" })));
    const comments = await owner.call<{ items: { body: string }[] }>(`/api/tasks/${task.id}/comments`);
    expect(comments.ok && comments.data.items.map((c) => c.body)).toEqual([
      "Add the abort steps",
      "Good",
      "Thanks",
    ]);
  });

  it("a refused move says where the task may go", async () => {
    const fresh = ok(await m.createTask(owner, project.id, form({ title: "Fuel" })));
    const move = await m.moveTask(owner, fresh.id, "completed");
    expect(move.ok).toBe(false);
    expect(!move.ok && move.problem.allowed).toEqual(expect.arrayContaining(["in_progress"]));
  });
});

describe("agents' keys", () => {
  it("rotates (the old key stops working) and revokes", async () => {
    const { agent, apiKey } = ok(
      await m.registerAgent(owner, form({ handle: "key-bot", name: "Key bot", agentType: "codex" })),
    );
    const asAgent = (key: string) => createApiClient(api.baseUrl, key);
    expect((await asAgent(apiKey.key).call("/api/workers/me")).ok).toBe(true);
    const rotated = ok(await m.rotateAgentKey(owner, agent.id, form({ expiresInDays: "30" })));
    expect(rotated.key).toMatch(/^tf_/);
    await expect(asAgent(apiKey.key).call("/api/workers/me")).rejects.toThrow(/401/);
    expect((await asAgent(rotated.key).call("/api/workers/me")).ok).toBe(true);
    ok(await m.revokeAgentKey(owner, agent.id, rotated.id));
    await expect(asAgent(rotated.key).call("/api/workers/me")).rejects.toThrow(/401/);
    const byMember = await m.rotateAgentKey(member, agent.id, form({}));
    expect(byMember.ok).toBe(false);
  });

  it("deletes the project once its slug is typed", async () => {
    ok(await m.deleteProject(owner, project, form({ confirm: project.slug })));
    const gone = await owner.call(`/api/projects/${project.id}`);
    expect(gone).toMatchObject({ ok: false, status: 404 });
  });
});
