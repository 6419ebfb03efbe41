import type { Task } from "@taskflow/contracts";
import { schema } from "@taskflow/core";
import { asc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { taskFixtures } from "./support/task-fixtures.ts";
import { startTestApi, type TestApi } from "./support/test-api.ts";

let api: TestApi;
let fx: ReturnType<typeof taskFixtures>;
beforeAll(async () => {
  api = await startTestApi();
  fx = taskFixtures(api);
});
afterAll(() => api.close());

let current: Awaited<ReturnType<ReturnType<typeof taskFixtures>["team"]>>;

/** Every task of a series, in occurrence order, as the API shows them. */
async function series(seriesId: string): Promise<Task[]> {
  const rows = await api.db
    .select({ id: schema.tasks.id })
    .from(schema.tasks)
    .where(eq(schema.tasks.seriesId, seriesId))
    .orderBy(asc(schema.tasks.occurrence));
  const tasks: Task[] = [];
  for (const { id } of rows) {
    tasks.push((await api.call<Task>("GET", `/api/tasks/${id}`, { token: current.owner.token })).body);
  }
  return tasks;
}

async function complete(token: string, taskId: string) {
  await fx.setStatus(token, taskId, "in_progress");
  return fx.setStatus(token, taskId, "completed");
}

describe("recurring tasks", () => {
  it("completing one creates the next occurrence, due one step later, until max", async () => {
    current = await fx.team();
    const { owner, member, project, orgId } = current;
    const first = await fx.createTask(owner.token, project.id, {
      title: "Stand-up notes",
      description: "Write them",
      priority: "high",
      tags: ["ritual"],
      dueAt: "2026-12-01T09:00:00Z",
      assigneeId: member.workerId,
      recurrence: { pattern: "daily", max: 3 },
    });
    expect(first.recurrence).toEqual({ pattern: "daily", max: 3, occurrence: 1, seriesId: first.id });

    await fx.setStatus(member.token, first.id, "in_progress");
    await api.call("PATCH", `/api/tasks/${first.id}/progress`, {
      token: member.token,
      body: { progress: 70 },
    });
    await fx.setStatus(member.token, first.id, "completed");
    let all = await series(first.id);
    expect(all).toHaveLength(2);
    const second = all[1] as Task;
    expect(second).toMatchObject({
      projectId: project.id,
      title: "Stand-up notes",
      description: "Write them",
      priority: "high",
      tags: ["ritual"],
      status: "pending",
      progress: 0,
      dueAt: "2026-12-02T09:00:00.000Z",
      assignee: { id: member.workerId },
      creator: { id: owner.workerId },
      startedAt: null,
      completedAt: null,
      recurrence: { pattern: "daily", max: 3, occurrence: 2, seriesId: first.id },
      version: 1,
    });

    await complete(member.token, second.id);
    all = await series(first.id);
    expect(all.map((t) => t.dueAt)).toEqual([
      "2026-12-01T09:00:00.000Z",
      "2026-12-02T09:00:00.000Z",
      "2026-12-03T09:00:00.000Z",
    ]);
    const third = all[2] as Task;
    await complete(member.token, third.id);
    expect(await series(first.id)).toHaveLength(3);

    // Reopening and completing again never makes a second task for the same occurrence.
    await fx.setStatus(member.token, first.id, "in_progress");
    await fx.setStatus(member.token, first.id, "completed");
    expect(await series(first.id)).toHaveLength(3);

    const recurred = await fx.auditActions(orgId, "task.recurred");
    expect(recurred.map((a) => a.entityId)).toEqual([second.id, third.id]);
    expect(recurred[0]).toMatchObject({ actorId: member.workerId, actorType: "human", channel: "api" });
  });

  it("recurs when a reviewer approves, and without a max it keeps going", async () => {
    current = await fx.team();
    const { owner, admin, project } = current;
    const first = await fx.createTask(owner.token, project.id, {
      dueAt: "2027-01-31T12:00:00Z",
      recurrence: { pattern: "monthly" },
    });
    expect(first.recurrence?.max).toBeNull();
    await fx.setStatus(owner.token, first.id, "in_progress");
    await fx.setStatus(owner.token, first.id, "review");
    const approved = await api.call("POST", `/api/tasks/${first.id}/approve`, {
      token: admin.token,
      body: {},
    });
    expect(approved.status).toBe(200);
    const [, second] = await series(first.id);
    expect(second?.dueAt).toBe("2027-02-28T12:00:00.000Z");
    await complete(owner.token, second?.id as string);
    const all = await series(first.id);
    expect(all.map((t) => t.recurrence?.occurrence)).toEqual([1, 2, 3]);
    expect(all[2]?.dueAt).toBe("2027-03-28T12:00:00.000Z");
  });

  it("without a due date, the next one is due one step after the completion", async () => {
    current = await fx.team();
    const { owner, project } = current;
    const first = await fx.createTask(owner.token, project.id, { recurrence: { pattern: "weekly", max: 2 } });
    const done = await complete(owner.token, first.id);
    const [, next] = await series(first.id);
    const completedAt = Date.parse(done.completedAt as string);
    expect(Date.parse(next?.dueAt as string) - completedAt).toBe(7 * 24 * 3600 * 1000);
  });

  it("a task made recurring later starts its series there; ending the recurrence stops it", async () => {
    current = await fx.team();
    const { owner, project } = current;
    const task = await fx.createTask(owner.token, project.id, { dueAt: "2026-12-04T17:00:00Z" });
    const made = await api.call<Task>("PATCH", `/api/tasks/${task.id}`, {
      token: owner.token,
      body: { recurrence: { pattern: "weekdays", max: 5 } },
    });
    expect(made.body.recurrence).toEqual({ pattern: "weekdays", max: 5, occurrence: 1, seriesId: task.id });
    await complete(owner.token, task.id);
    const [, monday] = await series(task.id);
    expect(monday?.dueAt).toBe("2026-12-07T17:00:00.000Z");
    await api.call("PATCH", `/api/tasks/${monday?.id}`, { token: owner.token, body: { recurrence: null } });
    await complete(owner.token, monday?.id as string);
    expect(await series(task.id)).toHaveLength(2);
  });
});
