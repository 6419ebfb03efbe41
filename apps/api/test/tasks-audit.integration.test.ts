import type { Task } from "@taskflow/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixtures } from "./support/fixtures.ts";
import { taskFixtures } from "./support/task-fixtures.ts";
import { startTestApi, type TestApi } from "./support/test-api.ts";

let api: TestApi;
let fx: ReturnType<typeof taskFixtures>;
beforeAll(async () => {
  api = await startTestApi();
  fx = taskFixtures(api);
});
afterAll(() => api.close());

describe("the audit trail of tasks and comments", () => {
  it("writes a row for every kind of mutation, by the human, through the api, with before and after", async () => {
    const { owner, member, admin, project, orgId } = await fx.team();
    const task = await fx.createTask(member.token, project.id, {
      title: "Audited",
      recurrence: { pattern: "daily", max: 2 },
    });
    const call = async (method: string, path: string, body?: unknown, token = member.token) => {
      const res = await api.call<Task>(method, path, { token, body });
      expect(res.status, JSON.stringify(res.body)).toBeLessThan(300);
      return res.body;
    };
    await call("PATCH", `/api/tasks/${task.id}`, { title: "Audited!" });
    await call("PATCH", `/api/tasks/${task.id}/assign`, { assigneeId: member.workerId });
    await call("PATCH", `/api/tasks/${task.id}/status`, { status: "in_progress" });
    await call("PATCH", `/api/tasks/${task.id}/progress`, { progress: 30, note: "started" });
    await call("POST", `/api/tasks/${task.id}/comments`, { body: "hello" });
    await call("PATCH", `/api/tasks/${task.id}/status`, { status: "review" });
    await call("POST", `/api/tasks/${task.id}/reject`, { reason: "more" }, admin.token);
    await call("PATCH", `/api/tasks/${task.id}/status`, { status: "review" });
    await call("POST", `/api/tasks/${task.id}/approve`, {}, owner.token);
    const sub = await call("POST", `/api/tasks/${task.id}/subtasks`, { title: "child" });
    await call("DELETE", `/api/tasks/${sub.id}`);

    const rows = await fx.taskAudit(task.id);
    const actions = rows.map((r) => r.action);
    expect(actions).toEqual([
      "task.created",
      "task.updated",
      "task.assigned",
      "task.status_changed",
      "task.progress_updated",
      "comment.added",
      "comment.added",
      "task.status_changed",
      "task.rejected",
      "comment.added",
      "task.status_changed",
      "task.approved",
    ]);
    for (const row of rows) {
      expect(row).toMatchObject({
        actorType: "human",
        channel: "api",
        projectId: project.id,
        taskId: task.id,
      });
      expect(row.after).not.toBeNull();
    }
    for (const row of rows.filter((r) => r.action !== "task.created" && r.entityType === "task")) {
      expect(row.before, row.action).not.toBeNull();
      expect((row.after as { version: number }).version).toBe(
        (row.before as { version: number }).version + 1,
      );
    }
    const byAction = Object.fromEntries(rows.map((r) => [r.action, r]));
    expect(byAction["task.rejected"]?.actorId).toBe(admin.workerId);
    expect(byAction["task.approved"]?.actorId).toBe(owner.workerId);
    expect(byAction["task.assigned"]).toMatchObject({
      entityType: "task",
      before: { assigneeId: null },
      after: { assigneeId: member.workerId },
    });
    expect(byAction["comment.added"]?.entityType).toBe("comment");

    const kinds = new Set<string>(actions);
    for (const action of ["task.recurred", "task.deleted"]) {
      const more = await fx.auditActions(orgId, action);
      expect(more).toHaveLength(1);
      expect(more[0]).toMatchObject({ actorType: "human", channel: "api", actorId: expect.any(String) });
      kinds.add(action);
    }
    const deleted = (await fx.auditActions(orgId, "task.deleted"))[0];
    expect(deleted).toMatchObject({ entityId: sub.id, before: { id: sub.id, title: "child" }, after: null });
    expect([...kinds].sort()).toEqual(
      [
        "comment.added",
        "task.approved",
        "task.assigned",
        "task.created",
        "task.deleted",
        "task.progress_updated",
        "task.recurred",
        "task.rejected",
        "task.status_changed",
        "task.updated",
      ].sort(),
    );
  });

  it("records an agent working through its key as the agent, and shows it as creator and assignee", async () => {
    const { owner, project, orgId } = await fx.team();
    const orgAdmin = await api.signIn({ orgId, orgRole: "admin" });
    const { agent, apiKey } = await fixtures(api).registerAgent(orgAdmin.token, "@builder");
    await fx.addToProject(project.id, agent.id, "member");
    const token = apiKey.key;
    const task = await fx.createTask(token, project.id, { title: "Agent made", assigneeId: agent.id });
    expect(task.creator).toMatchObject({ id: agent.id, kind: "agent", handle: "@builder" });
    expect(task.assignee).toMatchObject({ id: agent.id, kind: "agent" });
    await fx.setStatus(token, task.id, "in_progress");
    const progress = await api.call("PATCH", `/api/tasks/${task.id}/progress`, {
      token,
      body: { progress: 80, note: "tests written" },
    });
    expect(progress.status).toBe(200);
    const sub = await fx.createSubtask(token, task.id, { title: "delegated", assigneeId: owner.workerId });
    expect(sub.assignee?.id).toBe(owner.workerId);
    await fx.setStatus(token, task.id, "review");
    const approve = await api.call("POST", `/api/tasks/${task.id}/approve`, { token, body: {} });
    expect(approve.status).toBe(403);

    const rows = await fx.taskAudit(task.id);
    expect(rows.map((r) => r.action)).toEqual([
      "task.created",
      "task.status_changed",
      "task.progress_updated",
      "comment.added",
      "task.status_changed",
    ]);
    for (const row of rows)
      expect(row).toMatchObject({ actorId: agent.id, actorType: "agent", channel: "api" });
  });

  it("writes nothing when a change is refused", async () => {
    const { owner, viewer, project } = await fx.team();
    const task = await fx.createTask(owner.token, project.id);
    await api.call("PATCH", `/api/tasks/${task.id}/status`, {
      token: owner.token,
      body: { status: "review" },
    });
    await api.call("PATCH", `/api/tasks/${task.id}`, { token: viewer.token, body: { title: "x" } });
    await api.call("POST", `/api/tasks/${task.id}/comments`, { token: viewer.token, body: { body: "x" } });
    expect((await fx.taskAudit(task.id)).map((r) => r.action)).toEqual(["task.created"]);
  });
});
