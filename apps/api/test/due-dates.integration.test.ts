import type { Task } from "@taskflow/contracts";
import { schema } from "@taskflow/core";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { taskFixtures } from "./support/task-fixtures.ts";
import { startTestApi, type TestApi } from "./support/test-api.ts";

// A due date must lie in the years 1900 to 9999 (packages/core/src/tasks/due-date.ts). Before the rule,
// schemathesis found a task due in year 0030 answered 500 (stored, then unreadable), and year 0001 came
// back as 2001.

interface Problem {
  status: number;
  code: string;
  errors?: { field: string; message: string }[];
}

let api: TestApi;
let fx: ReturnType<typeof taskFixtures>;
beforeAll(async () => {
  api = await startTestApi();
  fx = taskFixtures(api);
});
afterAll(() => api.close());

async function tasksInProject(projectId: string): Promise<number> {
  const rows = await api.db.select().from(schema.tasks).where(eq(schema.tasks.projectId, projectId));
  return rows.length;
}

describe("due dates", () => {
  it("refuses one outside the years 1900 to 9999 with 422 naming body.dueAt, and stores nothing", async () => {
    const { member, project } = await fx.team();
    for (const dueAt of ["0030-07-15T09:32:15+04:07", "0001-01-01T00:00:00Z", "1899-12-31T23:59:59Z"]) {
      const created = await api.call<Problem>("POST", `/api/projects/${project.id}/tasks`, {
        token: member.token,
        body: { title: "Too early", dueAt },
      });
      expect(created.status, dueAt).toBe(422);
      expect(created.headers.get("content-type"), dueAt).toMatch(/^application\/problem\+json/);
      expect(
        created.body.errors?.map((e) => e.field),
        dueAt,
      ).toEqual(["body.dueAt"]);
    }
    expect(await tasksInProject(project.id)).toBe(0);

    const task = await fx.createTask(member.token, project.id, { dueAt: "2027-01-04T09:00:00Z" });
    const changed = await api.call<Problem>("PATCH", `/api/tasks/${task.id}`, {
      token: member.token,
      body: { dueAt: "0030-07-15T09:32:15Z" },
    });
    expect(changed.status).toBe(422);
    expect(changed.body.errors?.map((e) => e.field)).toEqual(["body.dueAt"]);
    const kept = await api.call<Task>("GET", `/api/tasks/${task.id}`, { token: member.token });
    expect(kept.body).toMatchObject({ dueAt: "2027-01-04T09:00:00.000Z", version: task.version });
  });

  it("keeps the first and last moments of the range exactly, whatever the offset given", async () => {
    const { member, project } = await fx.team();
    for (const [dueAt, stored] of [
      ["1900-01-01T00:00:00Z", "1900-01-01T00:00:00.000Z"],
      ["9999-12-31T23:59:59.999Z", "9999-12-31T23:59:59.999Z"],
      ["2030-07-15T09:32:15+04:07", "2030-07-15T05:25:15.000Z"],
    ] as const) {
      const task = await fx.createTask(member.token, project.id, { dueAt });
      expect(task.dueAt, dueAt).toBe(stored);
      const read = await api.call<Task>("GET", `/api/tasks/${task.id}`, { token: member.token });
      expect(read.body.dueAt, dueAt).toBe(stored);
    }
  });

  it("ends a recurring series whose next due date would pass the year 9999", async () => {
    const { member, project } = await fx.team();
    const last = await fx.createTask(member.token, project.id, {
      dueAt: "9999-06-01T00:00:00Z",
      recurrence: { pattern: "yearly" },
    });
    await fx.setStatus(member.token, last.id, "in_progress");
    const completed = await fx.setStatus(member.token, last.id, "completed");
    expect(completed.status).toBe("completed");
    const series = await api.db.select().from(schema.tasks).where(eq(schema.tasks.seriesId, last.id));
    expect(series.map((row) => row.id)).toEqual([last.id]);
  });
});
