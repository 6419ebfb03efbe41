import type { Task } from "@taskflow/contracts";
import { schema } from "@taskflow/core";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ProblemBody, taskFixtures } from "./support/task-fixtures.ts";
import { startTestApi, type TestApi } from "./support/test-api.ts";

/**
 * The two hot writes decide access without a round trip of their own: a create with no parent, assignee or
 * dependencies is one statement that writes only for a membership decideProjectAccess grants task.create with
 * (create-task-statement.ts), and a status change reads the task and the caller's membership in one statement
 * (authorize-task.ts) and writes the update, its audit row and the answer in another. Here every caller who
 * must be refused tries, and must get what they always got (404 first for whoever cannot see the project,
 * then 403, then the bad value) with nothing written; and what is written is what recordAudit would record.
 */
let api: TestApi;
let fx: ReturnType<typeof taskFixtures>;
let team: Awaited<ReturnType<ReturnType<typeof taskFixtures>["team"]>>;
beforeAll(async () => {
  api = await startTestApi();
  fx = taskFixtures(api);
  team = await fx.team();
});
afterAll(() => api.close());

const projectTasks = () =>
  api.db.select().from(schema.tasks).where(eq(schema.tasks.projectId, team.project.id));
const projectAudit = () =>
  api.db.select().from(schema.auditLog).where(eq(schema.auditLog.projectId, team.project.id));
/** What recordAudit stores for a row Drizzle read (its toJson). */
const asRecorded = (row: unknown) => JSON.parse(JSON.stringify(row));

describe("creating a task in one statement", () => {
  it("refuses a viewer (403), a colleague outside the project and another tenant's owner (404), writing nothing", async () => {
    const tasksBefore = (await projectTasks()).length;
    const auditBefore = (await projectAudit()).length;
    const create = (token: string) =>
      api.call<ProblemBody>("POST", `/api/projects/${team.project.id}/tasks`, {
        token,
        body: { title: "Not yours" },
      });
    const viewer = await create(team.viewer.token);
    expect(viewer.status).toBe(403);
    expect(viewer.headers.get("content-type")).toBe("application/problem+json");
    expect((await create(team.stranger.token)).status).toBe(404);
    expect((await create(team.outsider.token)).status).toBe(404);
    // A read-only token of the project's owner lacks the scope task.create needs.
    const readOnly = await api.issuer.mint({
      orgId: team.orgId,
      orgRole: "member",
      sub: team.owner.sub,
      extra: { scope: "openid taskflow:read" },
    });
    const scoped = await create(readOnly);
    expect(scoped.status).toBe(403);
    expect(scoped.headers.get("www-authenticate")).toContain('error="insufficient_scope"');
    expect((await projectTasks()).length).toBe(tasksBefore);
    expect((await projectAudit()).length).toBe(auditBefore);
  });

  it("lets an organization admin who is no member create (their role oversees every project)", async () => {
    const orgAdmin = await api.signIn({ orgId: team.orgId, orgRole: "admin" });
    const res = await api.call<Task>("POST", `/api/projects/${team.project.id}/tasks`, {
      token: orgAdmin.token,
      body: { title: "Overseen" },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.creator.id).toBe(orgAdmin.workerId);
  });

  it("stores the task and the task.created audit row recordAudit would, and answers the task as a read does", async () => {
    const created = await api.call<Task>("POST", `/api/projects/${team.project.id}/tasks`, {
      token: team.member.token,
      body: {
        title: "Counted",
        tags: ["b", "a", "b"],
        priority: "high",
        dueAt: "2027-01-02T03:04:05.678Z",
        recurrence: { pattern: "weekly", max: 3 },
        requiredCapabilities: ["go"],
      },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const read = await api.call<Task>("GET", `/api/tasks/${created.body.id}`, { token: team.member.token });
    // A read adds the task's subtasks (none yet); the rest is the same task.
    expect({ ...created.body, subtasks: [] }).toEqual(read.body);
    expect(created.body).toMatchObject({
      tags: ["b", "a"],
      priority: "high",
      dueAt: "2027-01-02T03:04:05.678Z",
      recurrence: { pattern: "weekly", max: 3, occurrence: 1, seriesId: created.body.id },
      requiredCapabilities: ["go"],
      version: 1,
    });
    const [row] = await api.db.select().from(schema.tasks).where(eq(schema.tasks.id, created.body.id));
    expect(row?.priorityRank).toBe(3);
    const audit = await fx.taskAudit(created.body.id);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      action: "task.created",
      entityType: "task",
      entityId: created.body.id,
      actorId: team.member.workerId,
      actorType: "human",
      channel: "api",
      before: null,
      toStatus: "pending",
    });
    expect(audit[0]?.after).toEqual(asRecorded(row));
  });
});

describe("changing a task's status", () => {
  it("refuses a viewer (403) and a colleague outside the project (404), changing and recording nothing", async () => {
    const task = await fx.createTask(team.member.token, team.project.id);
    const move = (token: string) =>
      api.call<ProblemBody>("PATCH", `/api/tasks/${task.id}/status`, { token, body: { status: "blocked" } });
    expect((await move(team.viewer.token)).status).toBe(403);
    expect((await move(team.stranger.token)).status).toBe(404);
    expect((await move(team.outsider.token)).status).toBe(404);
    const [row] = await api.db.select().from(schema.tasks).where(eq(schema.tasks.id, task.id));
    expect(row).toMatchObject({ status: "pending", version: 1 });
    expect((await fx.taskAudit(task.id)).map((entry) => entry.action)).toEqual(["task.created"]);
  });

  it("refuses a stale If-Match (412) before writing, and records the move it makes as recordAudit would", async () => {
    const task = await fx.createTask(team.member.token, team.project.id);
    const [before] = await api.db.select().from(schema.tasks).where(eq(schema.tasks.id, task.id));
    const stale = await api.call<ProblemBody>("PATCH", `/api/tasks/${task.id}/status`, {
      token: team.member.token,
      headers: { "if-match": '"7"' },
      body: { status: "in_progress" },
    });
    expect(stale.status).toBe(412);
    const moved = await api.call<Task>("PATCH", `/api/tasks/${task.id}/status`, {
      token: team.member.token,
      headers: { "if-match": '"1"' },
      body: { status: "in_progress", note: "starting" },
    });
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    expect(moved.headers.get("etag")).toBe('"2"');
    const read = await api.call<Task>("GET", `/api/tasks/${task.id}`, { token: team.member.token });
    expect({ ...moved.body, subtasks: [] }).toEqual(read.body);
    expect(moved.body.startedAt).not.toBeNull();
    const [after] = await api.db.select().from(schema.tasks).where(eq(schema.tasks.id, task.id));
    const audit = await fx.taskAudit(task.id);
    expect(audit.map((entry) => entry.action)).toEqual([
      "task.created",
      "task.status_changed",
      "comment.added",
    ]);
    expect(audit[1]).toMatchObject({
      actorId: team.member.workerId,
      fromStatus: "pending",
      toStatus: "in_progress",
    });
    expect(audit[1]?.before).toEqual(asRecorded(before));
    expect(audit[1]?.after).toEqual(asRecorded(after));
  });
});
