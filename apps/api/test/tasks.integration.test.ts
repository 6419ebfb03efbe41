import type { Comment, CommentPage, Task, TaskDetail } from "@taskflow/contracts";
import { schema } from "@taskflow/core";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ProblemBody, taskFixtures } from "./support/task-fixtures.ts";
import { startTestApi, type TestApi } from "./support/test-api.ts";

let api: TestApi;
let fx: ReturnType<typeof taskFixtures>;
beforeAll(async () => {
  api = await startTestApi();
  fx = taskFixtures(api);
});
afterAll(() => api.close());

const unknownId = "00000000-0000-4000-8000-000000000000";

describe("creating and reading tasks", () => {
  it("creates a task with every field and reads it back with its creator and assignee", async () => {
    const { owner, member, project } = await fx.team();
    const created = await api.call<Task>("POST", `/api/projects/${project.id}/tasks`, {
      token: owner.token,
      body: {
        title: "  Write the launch plan ",
        description: "Everything we need",
        priority: "high",
        tags: ["launch", "docs", "launch"],
        dueAt: "2026-12-01T09:00:00Z",
        assigneeId: member.workerId,
      },
    });
    expect(created.status).toBe(201);
    expect(created.headers.get("etag")).toBe('"1"');
    expect(created.headers.get("location")).toBe(`/api/tasks/${created.body.id}`);
    expect(created.body).toMatchObject({
      projectId: project.id,
      parentId: null,
      title: "Write the launch plan",
      description: "Everything we need",
      status: "pending",
      priority: "high",
      progress: 0,
      tags: ["launch", "docs"],
      dueAt: "2026-12-01T09:00:00.000Z",
      assignee: { id: member.workerId, kind: "human", handle: member.handle },
      creator: { id: owner.workerId, kind: "human", handle: owner.handle },
      startedAt: null,
      completedAt: null,
      recurrence: null,
      version: 1,
    });

    const got = await api.call<TaskDetail>("GET", `/api/tasks/${created.body.id}`, { token: member.token });
    expect(got.status).toBe(200);
    expect(got.headers.get("etag")).toBe('"1"');
    expect(got.body).toEqual({ ...created.body, subtasks: [] });
  });

  it("applies the defaults: medium priority, no tags, no due date, unassigned", async () => {
    const { member, project } = await fx.team();
    const task = await fx.createTask(member.token, project.id, { title: "Minimal" });
    expect(task).toMatchObject({
      description: "",
      priority: "medium",
      tags: [],
      dueAt: null,
      assignee: null,
      creator: { id: member.workerId },
    });
  });

  it("answers bad input with 400 naming the field, and creates nothing", async () => {
    const { owner, project } = await fx.team();
    const cases: [unknown, string][] = [
      [{}, "body.title"],
      [{ title: "" }, "body.title"],
      [{ title: "x".repeat(501) }, "body.title"],
      [{ title: "x", priority: "urgent" }, "body.priority"],
      [{ title: "x", tags: "one" }, "body.tags"],
      [{ title: "x", tags: [""] }, "body.tags.0"],
      [{ title: "x", dueAt: "tomorrow" }, "body.dueAt"],
      [{ title: "x", assigneeId: "bob" }, "body.assigneeId"],
      [{ title: "x", parentId: "nope" }, "body.parentId"],
      [{ title: "x", recurrence: { pattern: "fortnightly" } }, "body.recurrence.pattern"],
      [{ title: "x", recurrence: { pattern: "daily", max: 0 } }, "body.recurrence.max"],
      [{ title: "x", status: "completed" }, "body"],
    ];
    for (const [body, field] of cases) {
      const res = await api.call<ProblemBody>("POST", `/api/projects/${project.id}/tasks`, {
        token: owner.token,
        body,
      });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.headers.get("content-type")).toBe("application/problem+json");
      expect(
        res.body.errors?.map((e) => e.field),
        JSON.stringify(body),
      ).toContain(field);
    }
    const list = await api.call<{ items: Task[] }>("GET", `/api/projects/${project.id}/tasks`, {
      token: owner.token,
    });
    expect(list.body.items).toEqual([]);
  });

  it("refuses an assignee or parent that is not in the project with 422 naming the field", async () => {
    const { owner, stranger, outsider, project } = await fx.team();
    for (const assigneeId of [stranger.workerId, outsider.workerId, unknownId]) {
      const res = await api.call<ProblemBody>("POST", `/api/projects/${project.id}/tasks`, {
        token: owner.token,
        body: { title: "x", assigneeId },
      });
      expect(res.status).toBe(422);
      expect(res.body.errors?.[0]?.field).toBe("body.assigneeId");
    }
    const other = await api.call<{ id: string }>("POST", "/api/projects", {
      token: owner.token,
      body: { name: "Other" },
    });
    const elsewhere = await fx.createTask(owner.token, other.body.id);
    const res = await api.call<ProblemBody>("POST", `/api/projects/${project.id}/tasks`, {
      token: owner.token,
      body: { title: "x", parentId: elsewhere.id },
    });
    expect(res.status).toBe(422);
    expect(res.body.errors?.[0]?.field).toBe("body.parentId");
  });

  it("lets viewers read but not create; people outside the project or tenant get 404", async () => {
    const { owner, viewer, stranger, outsider, project } = await fx.team();
    const task = await fx.createTask(owner.token, project.id);
    expect((await api.call("GET", `/api/tasks/${task.id}`, { token: viewer.token })).status).toBe(200);
    const create = await api.call<ProblemBody>("POST", `/api/projects/${project.id}/tasks`, {
      token: viewer.token,
      body: { title: "x" },
    });
    expect(create.status).toBe(403);
    expect(create.body.code).toBe("forbidden");
    for (const who of [stranger, outsider]) {
      const got = await api.call<ProblemBody>("GET", `/api/tasks/${task.id}`, { token: who.token });
      expect(got.status).toBe(404);
      expect(JSON.stringify(got.body)).not.toContain(task.title);
      const list = await api.call("GET", `/api/projects/${project.id}/tasks`, { token: who.token });
      expect(list.status).toBe(404);
      const post = await api.call("POST", `/api/projects/${project.id}/tasks`, {
        token: who.token,
        body: { title: "x" },
      });
      expect(post.status).toBe(404);
    }
    expect((await api.call("GET", `/api/tasks/${unknownId}`, { token: owner.token })).status).toBe(404);
    const badId = await api.call<ProblemBody>("GET", "/api/tasks/not-a-uuid", { token: owner.token });
    expect(badId.status).toBe(400);
    expect(badId.body.errors?.[0]?.field).toBe("path.id");
    expect((await api.call("GET", `/api/tasks/${task.id}`)).status).toBe(401);
  });
});

describe("changing tasks", () => {
  it("updates fields, bumps the version and updatedAt, and refuses unknown or empty changes", async () => {
    const { owner, member, project } = await fx.team();
    const task = await fx.createTask(owner.token, project.id, { priority: "low" });
    const res = await api.call<Task>("PATCH", `/api/tasks/${task.id}`, {
      token: member.token,
      body: {
        title: "Renamed",
        description: "More",
        priority: "critical",
        tags: ["a"],
        dueAt: "2027-01-01T00:00:00Z",
        recurrence: { pattern: "weekly", max: 3 },
      },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("etag")).toBe('"2"');
    expect(res.body).toMatchObject({
      title: "Renamed",
      description: "More",
      priority: "critical",
      tags: ["a"],
      dueAt: "2027-01-01T00:00:00.000Z",
      recurrence: { pattern: "weekly", max: 3, occurrence: 1, seriesId: task.id },
      version: 2,
    });
    expect(res.body.updatedAt > task.updatedAt).toBe(true);
    const cleared = await api.call<Task>("PATCH", `/api/tasks/${task.id}`, {
      token: member.token,
      body: { dueAt: null, recurrence: null },
    });
    expect(cleared.body).toMatchObject({ dueAt: null, recurrence: null, version: 3 });

    for (const [body, field] of [
      [{}, "body"],
      [{ status: "completed" }, "body"],
      [{ assigneeId: member.workerId }, "body"],
      [{ title: "" }, "body.title"],
    ] as const) {
      const bad = await api.call<ProblemBody>("PATCH", `/api/tasks/${task.id}`, {
        token: member.token,
        body,
      });
      expect(bad.status).toBe(400);
      expect(bad.body.errors?.map((e) => e.field)).toContain(field);
    }
  });

  it("refuses a change with a stale If-Match with 412 and the current version", async () => {
    const { owner, project } = await fx.team();
    const task = await fx.createTask(owner.token, project.id);
    const first = await api.call<Task>("PATCH", `/api/tasks/${task.id}`, {
      token: owner.token,
      headers: { "if-match": '"1"' },
      body: { title: "One" },
    });
    expect(first.status).toBe(200);
    const stale = await api.call<ProblemBody>("PATCH", `/api/tasks/${task.id}`, {
      token: owner.token,
      headers: { "if-match": '"1"' },
      body: { title: "Two" },
    });
    expect(stale.status).toBe(412);
    expect(stale.body).toMatchObject({ code: "precondition_failed", currentVersion: 2 });
    const stalestatus = await api.call("PATCH", `/api/tasks/${task.id}/status`, {
      token: owner.token,
      headers: { "if-match": '"1"' },
      body: { status: "in_progress" },
    });
    expect(stalestatus.status).toBe(412);
    const staleDelete = await api.call("DELETE", `/api/tasks/${task.id}`, {
      token: owner.token,
      headers: { "if-match": '"1"' },
    });
    expect(staleDelete.status).toBe(412);
    const bad = await api.call<ProblemBody>("PATCH", `/api/tasks/${task.id}`, {
      token: owner.token,
      headers: { "if-match": "yesterday" },
      body: { title: "Two" },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors?.[0]?.field).toBe("header.if-match");
    const got = await api.call<Task>("GET", `/api/tasks/${task.id}`, { token: owner.token });
    expect(got.body.title).toBe("One");
  });

  it("loses no update when many people change one task at once", async () => {
    const { owner, member, admin, project } = await fx.team();
    const task = await fx.createTask(owner.token, project.id);
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        api.call("PATCH", `/api/tasks/${task.id}/progress`, {
          token: [owner, member, admin][i % 3]?.token,
          body: { progress: i },
        }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(Array(12).fill(200));
    const got = await api.call<Task>("GET", `/api/tasks/${task.id}`, { token: owner.token });
    expect(got.body.version).toBe(13);
  });

  it("lets viewers change nothing (403), and strangers see nothing (404)", async () => {
    const { owner, viewer, stranger, outsider, project } = await fx.team();
    const task = await fx.createTask(owner.token, project.id);
    const changes: [string, string, unknown][] = [
      ["PATCH", "", { title: "x" }],
      ["PATCH", "/status", { status: "in_progress" }],
      ["PATCH", "/progress", { progress: 5 }],
      ["PATCH", "/assign", { assigneeId: null }],
      ["POST", "/subtasks", { title: "x" }],
      ["POST", "/approve", {}],
      ["POST", "/reject", { reason: "no" }],
      ["POST", "/comments", { body: "hi" }],
      ["DELETE", "", undefined],
    ];
    for (const [method, suffix, body] of changes) {
      const asViewer = await api.call<ProblemBody>(method, `/api/tasks/${task.id}${suffix}`, {
        token: viewer.token,
        body,
      });
      expect(asViewer.status, `${method} ${suffix}`).toBe(403);
      for (const who of [stranger, outsider]) {
        const res = await api.call(method, `/api/tasks/${task.id}${suffix}`, { token: who.token, body });
        expect(res.status, `${method} ${suffix}`).toBe(404);
      }
      const unknown = await api.call(method, `/api/tasks/${unknownId}${suffix}`, {
        token: owner.token,
        body,
      });
      expect(unknown.status, `${method} ${suffix}`).toBe(404);
    }
    const after = await api.call<Task>("GET", `/api/tasks/${task.id}`, { token: owner.token });
    expect(after.body).toMatchObject({ title: task.title, version: 1, status: "pending" });
    for (const path of ["", "/subtasks", "/comments"]) {
      const read = await api.call("GET", `/api/tasks/${task.id}${path}`, { token: viewer.token });
      expect(read.status, path).toBe(200);
      for (const who of [stranger, outsider]) {
        expect((await api.call("GET", `/api/tasks/${task.id}${path}`, { token: who.token })).status).toBe(
          404,
        );
      }
    }
  });
});

describe("progress", () => {
  it("records progress with a note kept as a progress comment", async () => {
    const { owner, member, project } = await fx.team();
    const task = await fx.createTask(owner.token, project.id);
    const res = await api.call<Task>("PATCH", `/api/tasks/${task.id}/progress`, {
      token: member.token,
      body: { progress: 40, note: "Draft done" },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ progress: 40, status: "pending", version: 2 });
    const comments = await api.call<CommentPage>("GET", `/api/tasks/${task.id}/comments`, {
      token: owner.token,
    });
    expect(comments.body.items).toMatchObject([
      { kind: "progress", body: "Draft done", progress: 40, author: { id: member.workerId } },
    ]);
    const silent = await api.call<Task>("PATCH", `/api/tasks/${task.id}/progress`, {
      token: member.token,
      body: { progress: 60 },
    });
    expect(silent.body.progress).toBe(60);
    const after = await api.call<CommentPage>("GET", `/api/tasks/${task.id}/comments`, {
      token: owner.token,
    });
    expect(after.body.items).toHaveLength(1);
  });

  it("refuses progress out of range (400) and on a completed task (409)", async () => {
    const { owner, project } = await fx.team();
    const task = await fx.createTask(owner.token, project.id);
    for (const [body, field] of [
      [{ progress: 101 }, "body.progress"],
      [{ progress: -1 }, "body.progress"],
      [{ progress: 1.5 }, "body.progress"],
      [{}, "body.progress"],
      [{ progress: 5, note: "" }, "body.note"],
    ] as const) {
      const res = await api.call<ProblemBody>("PATCH", `/api/tasks/${task.id}/progress`, {
        token: owner.token,
        body,
      });
      expect(res.status).toBe(400);
      expect(res.body.errors?.map((e) => e.field)).toContain(field);
    }
    await fx.setStatus(owner.token, task.id, "in_progress");
    await fx.setStatus(owner.token, task.id, "completed");
    const done = await api.call<ProblemBody>("PATCH", `/api/tasks/${task.id}/progress`, {
      token: owner.token,
      body: { progress: 50 },
    });
    expect(done.status).toBe(409);
    expect(done.body.code).toBe("conflict");
  });
});

describe("assignment", () => {
  it("assigns to a person or an agent who is a member, and unassigns", async () => {
    const { owner, member, project, orgId } = await fx.team();
    const [agent] = await api.db
      .insert(schema.workers)
      .values({ tenantId: orgId, kind: "agent", handle: "@coder", name: "Coder", agentType: "claude-code" })
      .returning();
    if (!agent) throw new Error("no agent");
    await fx.addToProject(project.id, agent.id, "member");
    const task = await fx.createTask(owner.token, project.id);
    const toMember = await api.call<Task>("PATCH", `/api/tasks/${task.id}/assign`, {
      token: owner.token,
      body: { assigneeId: member.workerId },
    });
    expect(toMember.status).toBe(200);
    expect(toMember.body.assignee).toEqual({
      id: member.workerId,
      kind: "human",
      handle: member.handle,
      name: expect.any(String),
    });
    const toAgent = await api.call<Task>("PATCH", `/api/tasks/${task.id}/assign`, {
      token: member.token,
      body: { assigneeId: agent.id },
    });
    expect(toAgent.body.assignee).toEqual({ id: agent.id, kind: "agent", handle: "@coder", name: "Coder" });
    const none = await api.call<Task>("PATCH", `/api/tasks/${task.id}/assign`, {
      token: member.token,
      body: { assigneeId: null },
    });
    expect(none.body).toMatchObject({ assignee: null, version: 4 });
  });

  it("refuses a worker outside the project, a deleted agent, or a malformed id", async () => {
    const { owner, stranger, outsider, project, orgId } = await fx.team();
    const [gone] = await api.db
      .insert(schema.workers)
      .values({ tenantId: orgId, kind: "agent", handle: "@gone", name: "Gone", deletedAt: new Date() })
      .returning();
    if (!gone) throw new Error("no agent");
    await fx.addToProject(project.id, gone.id, "member");
    const task = await fx.createTask(owner.token, project.id);
    for (const assigneeId of [stranger.workerId, outsider.workerId, gone.id, unknownId]) {
      const res = await api.call<ProblemBody>("PATCH", `/api/tasks/${task.id}/assign`, {
        token: owner.token,
        body: { assigneeId },
      });
      expect(res.status).toBe(422);
      expect(res.body.errors?.[0]?.field).toBe("body.assigneeId");
    }
    for (const body of [{}, { assigneeId: "me" }, { assigneeId: null, extra: 1 }]) {
      const res = await api.call<ProblemBody>("PATCH", `/api/tasks/${task.id}/assign`, {
        token: owner.token,
        body,
      });
      expect(res.status).toBe(400);
    }
  });
});

describe("review", () => {
  async function inReview() {
    const t = await fx.team();
    const task = await fx.createTask(t.member.token, t.project.id);
    await fx.setStatus(t.member.token, task.id, "in_progress");
    await fx.setStatus(t.member.token, task.id, "review");
    return { ...t, task };
  }

  it("lets an admin approve a task in review: completed, with the note kept", async () => {
    const { admin, member, task } = await inReview();
    const res = await api.call<Task>("POST", `/api/tasks/${task.id}/approve`, {
      token: admin.token,
      body: { note: "Looks good" },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: "completed", progress: 100 });
    expect(res.body.completedAt).not.toBeNull();
    const comments = await api.call<CommentPage>("GET", `/api/tasks/${task.id}/comments`, {
      token: member.token,
    });
    expect(comments.body.items.map((c) => c.body)).toEqual(["Looks good"]);
  });

  it("lets an admin reject a task in review with a reason: back in progress, reason kept", async () => {
    const { owner, member, task } = await inReview();
    const missing = await api.call<ProblemBody>("POST", `/api/tasks/${task.id}/reject`, {
      token: owner.token,
      body: {},
    });
    expect(missing.status).toBe(400);
    expect(missing.body.errors?.[0]?.field).toBe("body.reason");
    const res = await api.call<Task>("POST", `/api/tasks/${task.id}/reject`, {
      token: owner.token,
      body: { reason: "Needs tests" },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: "in_progress", completedAt: null });
    const comments = await api.call<CommentPage>("GET", `/api/tasks/${task.id}/comments`, {
      token: member.token,
    });
    expect(comments.body.items).toMatchObject([
      { kind: "note", body: "Needs tests", author: { id: owner.workerId } },
    ]);
  });

  it("refuses members (403) and tasks not in review (409 with the allowed moves)", async () => {
    const { member, admin, project, task } = await inReview();
    for (const [verb, body] of [
      ["approve", {}],
      ["reject", { reason: "no" }],
    ] as const) {
      const res = await api.call<ProblemBody>("POST", `/api/tasks/${task.id}/${verb}`, {
        token: member.token,
        body,
      });
      expect(res.status).toBe(403);
    }
    const byStatus = await api.call<ProblemBody>("PATCH", `/api/tasks/${task.id}/status`, {
      token: member.token,
      body: { status: "completed" },
    });
    expect(byStatus.status).toBe(403);

    const pending = await fx.createTask(member.token, project.id);
    for (const [verb, body] of [
      ["approve", {}],
      ["reject", { reason: "no" }],
    ] as const) {
      const res = await api.call<ProblemBody>("POST", `/api/tasks/${pending.id}/${verb}`, {
        token: admin.token,
        body,
      });
      expect(res.status).toBe(409);
      expect(res.body).toMatchObject({ code: "invalid_transition", current: "pending" });
      expect(res.body.allowed?.sort()).toEqual(["blocked", "in_progress"]);
    }
  });
});

describe("subtasks", () => {
  it("nests subtasks to depth 5, lists direct ones, and a parent shows its direct subtasks", async () => {
    const { owner, member, project } = await fx.team();
    const root = await fx.createTask(owner.token, project.id, { title: "Level 0" });
    const chain: Task[] = [root];
    for (let depth = 1; depth <= 5; depth++) {
      const parent = chain[depth - 1] as Task;
      chain.push(await fx.createSubtask(member.token, parent.id, { title: `Level ${depth}` }));
    }
    const sibling = await fx.createSubtask(owner.token, root.id, { title: "Level 1b", priority: "high" });
    const viaBody = await fx.createTask(owner.token, project.id, { title: "Level 2b", parentId: sibling.id });
    expect(viaBody.parentId).toBe(sibling.id);
    for (let depth = 1; depth <= 5; depth++) {
      expect(chain[depth]?.parentId).toBe(chain[depth - 1]?.id);
      expect(chain[depth]?.projectId).toBe(project.id);
    }
    const detail = await api.call<TaskDetail>("GET", `/api/tasks/${root.id}`, { token: owner.token });
    expect(detail.body.subtasks.map((t) => t.title)).toEqual(["Level 1", "Level 1b"]);
    const direct = await api.call<Task[]>("GET", `/api/tasks/${chain[3]?.id}/subtasks`, {
      token: owner.token,
    });
    expect(direct.status).toBe(200);
    expect(direct.body.map((t) => t.title)).toEqual(["Level 4"]);
    const leaf = await api.call<Task[]>("GET", `/api/tasks/${chain[5]?.id}/subtasks`, { token: owner.token });
    expect(leaf.body).toEqual([]);
    const top = await api.call<{ items: Task[] }>("GET", `/api/projects/${project.id}/tasks?parentId=none`, {
      token: owner.token,
    });
    expect(top.body.items.map((t) => t.id)).toEqual([root.id]);
  });

  it("refuses bad subtask input (400), viewers (403) and unknown parents (404)", async () => {
    const { owner, viewer, project } = await fx.team();
    const root = await fx.createTask(owner.token, project.id);
    const bad = await api.call<ProblemBody>("POST", `/api/tasks/${root.id}/subtasks`, {
      token: owner.token,
      body: { title: "x", parentId: root.id },
    });
    expect(bad.status).toBe(400);
    const forbidden = await api.call("POST", `/api/tasks/${root.id}/subtasks`, {
      token: viewer.token,
      body: { title: "x" },
    });
    expect(forbidden.status).toBe(403);
    const unknown = await api.call("POST", `/api/tasks/${unknownId}/subtasks`, {
      token: owner.token,
      body: { title: "x" },
    });
    expect(unknown.status).toBe(404);
  });
});

describe("deleting", () => {
  it("deletes a task with all its subtasks and their comments, auditing each deleted task", async () => {
    const { owner, member, project, orgId } = await fx.team();
    const keep = await fx.createTask(owner.token, project.id, { title: "Keep" });
    const root = await fx.createTask(member.token, project.id, { title: "Root" });
    const ids = [root.id];
    let parent = root;
    for (let depth = 1; depth <= 4; depth++) {
      parent = await fx.createSubtask(owner.token, parent.id, { title: `Depth ${depth}` });
      ids.push(parent.id);
    }
    const side = await fx.createSubtask(member.token, root.id, { title: "Side" });
    ids.push(side.id);
    await api.call("POST", `/api/tasks/${parent.id}/comments`, {
      token: owner.token,
      body: { body: "deep" },
    });

    const res = await api.call("DELETE", `/api/tasks/${root.id}`, { token: member.token });
    expect(res.status).toBe(204);
    for (const id of ids) {
      expect((await api.call("GET", `/api/tasks/${id}`, { token: owner.token })).status).toBe(404);
    }
    expect((await api.call("GET", `/api/tasks/${keep.id}`, { token: owner.token })).status).toBe(200);
    const left = await api.db.select().from(schema.comments).where(eq(schema.comments.tenantId, orgId));
    expect(left).toEqual([]);
    const deleted = await fx.auditActions(orgId, "task.deleted");
    expect(deleted.map((a) => a.entityId).sort()).toEqual([...ids].sort());
    expect(deleted.every((a) => a.actorId === member.workerId && a.before !== null)).toBe(true);
    expect((await api.call("DELETE", `/api/tasks/${root.id}`, { token: member.token })).status).toBe(404);
  });

  it("audits every task deleted while subtasks are being created under it concurrently", async () => {
    const { owner, member, project, orgId } = await fx.team();
    const root = await fx.createTask(owner.token, project.id, { title: "Root" });
    const child = await fx.createSubtask(owner.token, root.id, { title: "Child" });
    const [deletion, ...creations] = await Promise.all([
      api.call("DELETE", `/api/tasks/${root.id}`, { token: owner.token }),
      ...Array.from({ length: 10 }, (_, i) =>
        api.call<Task>("POST", `/api/tasks/${i % 2 ? child.id : root.id}/subtasks`, {
          token: member.token,
          body: { title: `Late ${i}` },
        }),
      ),
    ]);
    expect(deletion?.status).toBe(204);
    for (const res of creations) expect([201, 404]).toContain(res.status);
    const created = creations.filter((r) => r.status === 201).map((r) => r.body.id);
    const remaining = await api.db.select().from(schema.tasks).where(eq(schema.tasks.projectId, project.id));
    expect(remaining).toEqual([]);
    const audited = (await fx.auditActions(orgId, "task.deleted")).map((a) => a.entityId).sort();
    expect(audited).toEqual([root.id, child.id, ...created].sort());
  });

  it("lets a member delete only their own tasks; admins delete anyone's", async () => {
    const { owner, member, admin, viewer, project } = await fx.team();
    const ownersTask = await fx.createTask(owner.token, project.id);
    const refused = await api.call<ProblemBody>("DELETE", `/api/tasks/${ownersTask.id}`, {
      token: member.token,
    });
    expect(refused.status).toBe(403);
    const viewerRefused = await api.call("DELETE", `/api/tasks/${ownersTask.id}`, { token: viewer.token });
    expect(viewerRefused.status).toBe(403);
    expect((await api.call("DELETE", `/api/tasks/${ownersTask.id}`, { token: admin.token })).status).toBe(
      204,
    );
    const membersTask = await fx.createTask(member.token, project.id);
    expect((await api.call("DELETE", `/api/tasks/${membersTask.id}`, { token: member.token })).status).toBe(
      204,
    );
  });
});

describe("recent tasks", () => {
  it("lists the most recently changed tasks across the caller's projects only", async () => {
    const { owner, member, stranger, project } = await fx.team();
    const other = await api.call<{ id: string }>("POST", "/api/projects", {
      token: owner.token,
      body: { name: "Private" },
    });
    const a = await fx.createTask(owner.token, project.id, { title: "A" });
    const hidden = await fx.createTask(owner.token, other.body.id, { title: "Hidden" });
    const b = await fx.createTask(owner.token, project.id, { title: "B" });
    await api.call("PATCH", `/api/tasks/${a.id}`, { token: owner.token, body: { title: "A2" } });

    const forOwner = await api.call<Task[]>("GET", "/api/tasks/recent", { token: owner.token });
    expect(forOwner.status).toBe(200);
    expect(forOwner.body.map((t) => t.id)).toEqual([a.id, b.id, hidden.id]);
    const forMember = await api.call<Task[]>("GET", "/api/tasks/recent?limit=1", { token: member.token });
    expect(forMember.body.map((t) => t.id)).toEqual([a.id]);
    const forStranger = await api.call<Task[]>("GET", "/api/tasks/recent", { token: stranger.token });
    expect(forStranger.body).toEqual([]);
    const bad = await api.call<ProblemBody>("GET", "/api/tasks/recent?limit=500", { token: owner.token });
    expect(bad.status).toBe(400);
    expect(bad.body.errors?.[0]?.field).toBe("query.limit");
  });
});

describe("comments", () => {
  it("adds notes and progress notes, and lists them oldest first a page at a time", async () => {
    const { owner, member, project } = await fx.team();
    const task = await fx.createTask(owner.token, project.id);
    const note = await api.call<Comment>("POST", `/api/tasks/${task.id}/comments`, {
      token: member.token,
      body: { body: "  On it  " },
    });
    expect(note.status).toBe(201);
    expect(note.body).toMatchObject({
      taskId: task.id,
      kind: "note",
      body: "On it",
      progress: null,
      author: { id: member.workerId, kind: "human", handle: member.handle },
    });
    const progress = await api.call<Comment>("POST", `/api/tasks/${task.id}/comments`, {
      token: owner.token,
      body: { body: "Half way", kind: "progress", progress: 50 },
    });
    expect(progress.body).toMatchObject({ kind: "progress", progress: 50 });
    for (let i = 0; i < 3; i++) {
      await api.call("POST", `/api/tasks/${task.id}/comments`, {
        token: owner.token,
        body: { body: `n${i}` },
      });
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `?limit=2&cursor=${cursor}` : "?limit=2";
      const page: { status: number; body: CommentPage } = await api.call<CommentPage>(
        "GET",
        `/api/tasks/${task.id}/comments${query}`,
        { token: member.token },
      );
      expect(page.status).toBe(200);
      seen.push(...page.body.items.map((c) => c.body));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(["On it", "Half way", "n0", "n1", "n2"]);
    const unchanged = await api.call<Task>("GET", `/api/tasks/${task.id}`, { token: owner.token });
    expect(unchanged.body).toMatchObject({ progress: 0, version: 1 });
  });

  it("refuses bad comments with 400 naming the field, and bad cursors naming the cursor", async () => {
    const { owner, project } = await fx.team();
    const task = await fx.createTask(owner.token, project.id);
    for (const [body, field] of [
      [{}, "body.body"],
      [{ body: "   " }, "body.body"],
      [{ body: "x", kind: "shout" }, "body.kind"],
      [{ body: "x", progress: 10 }, "body.progress"],
      [{ body: "x", kind: "progress", progress: 120 }, "body.progress"],
      [{ body: "x", author: "me" }, "body"],
    ] as const) {
      const res = await api.call<ProblemBody>("POST", `/api/tasks/${task.id}/comments`, {
        token: owner.token,
        body,
      });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.errors?.map((e) => e.field)).toContain(field);
    }
    const cursor = await api.call<ProblemBody>("GET", `/api/tasks/${task.id}/comments?cursor=garbage`, {
      token: owner.token,
    });
    expect(cursor.status).toBe(422);
    expect(cursor.body.errors?.[0]?.field).toBe("query.cursor");
  });
});

describe("OpenAPI", () => {
  it("describes every tasks and comments route: parameters, bodies, answers, problems and security", async () => {
    type Operation = {
      security?: unknown[];
      parameters?: { name: string; in: string }[];
      requestBody?: unknown;
      responses: Record<string, { content?: Record<string, unknown> }>;
    };
    const doc = await api.call<{ paths: Record<string, Record<string, Operation>> }>("GET", "/openapi.json");
    const routes: [string, string, boolean][] = [
      ["/api/projects/{id}/tasks", "get", false],
      ["/api/projects/{id}/tasks", "post", true],
      ["/api/tasks/recent", "get", false],
      ["/api/tasks/{id}", "get", false],
      ["/api/tasks/{id}", "patch", true],
      ["/api/tasks/{id}", "delete", false],
      ["/api/tasks/{id}/status", "patch", true],
      ["/api/tasks/{id}/progress", "patch", true],
      ["/api/tasks/{id}/assign", "patch", true],
      ["/api/tasks/{id}/subtasks", "get", false],
      ["/api/tasks/{id}/subtasks", "post", true],
      ["/api/tasks/{id}/approve", "post", true],
      ["/api/tasks/{id}/reject", "post", true],
      ["/api/tasks/{id}/comments", "get", false],
      ["/api/tasks/{id}/comments", "post", true],
    ];
    for (const [path, method, hasBody] of routes) {
      const op = doc.body.paths[path]?.[method];
      expect(op, `${method} ${path}`).toBeDefined();
      if (!op) continue;
      expect(op.security, `${method} ${path}`).toEqual([
        { accessToken: [] },
        { personalToken: [] },
        { agentKey: [] },
      ]);
      expect(Boolean(op.requestBody), `${method} ${path}`).toBe(hasBody);
      expect(op.responses["401"]?.content?.["application/problem+json"], `${method} ${path}`).toBeDefined();
      const ok = Object.keys(op.responses).find((s) => s.startsWith("2"));
      expect(ok, `${method} ${path}`).toBeDefined();
    }
    const status = doc.body.paths["/api/tasks/{id}/status"]?.patch;
    expect(status?.responses["409"]).toBeDefined();
    expect(status?.parameters?.map((p) => `${p.in}:${p.name}`)).toEqual(
      expect.arrayContaining(["path:id", "header:if-match"]),
    );
    const listing = doc.body.paths["/api/projects/{id}/tasks"]?.get;
    expect(listing?.parameters?.map((p) => p.name)).toEqual(
      expect.arrayContaining([
        "status",
        "priority",
        "assigneeId",
        "tag",
        "parentId",
        "dueBefore",
        "dueAfter",
        "q",
        "sort",
        "limit",
        "cursor",
      ]),
    );
  });
});
