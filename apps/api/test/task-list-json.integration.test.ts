import { type Task, TaskListQuery, type TaskPage } from "@taskflow/contracts";
import { type Actor, listTasks, listTasksJson } from "@taskflow/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rawQuery } from "./support/raw-query.ts";
import { taskFixtures } from "./support/task-fixtures.ts";
import { startTestApi, type TestApi } from "./support/test-api.ts";

// The REST list sends its page as PostgreSQL wrote each task (core/tasks/task-json-sql.ts), every other read
// builds the task in the API (taskFromValues). The two must say the same for every shape a task can take: the
// route declares the text to be a TaskPage on the strength of this file.

let api: TestApi;
let fx: ReturnType<typeof taskFixtures>;
beforeAll(async () => {
  api = await startTestApi();
  fx = taskFixtures(api);
});
afterAll(() => api.close());

const query = (text: string, params: unknown[] = []) => rawQuery(api, text, params);

/** A project with a task of every shape: each nullable part set and unset, odd text, timestamps in µs. */
async function tasksOfEveryShape() {
  const team = await fx.team();
  const { owner, member, project } = team;
  const plain = await fx.createTask(owner.token, project.id, { title: "Plain" });
  const odd = await fx.createTask(owner.token, project.id, {
    title: 'Quotes " and \\ backslash, tab\t, line\nbreak, control \u0001, é, 漢字, 🚀',
    description: "Markdown **bold** </script> <b>html</b> \u2028 separator",
    priority: "critical",
    tags: ["b-tag", "a-tag", "ünïcode"],
    dueAt: "2027-03-01T09:30:00.123Z",
  });
  const assigned = await fx.createTask(owner.token, project.id, {
    title: "Assigned",
    assigneeId: member.workerId,
  });
  const subtask = await fx.createSubtask(owner.token, plain.id, { title: "Subtask" });
  const done = await fx.createTask(owner.token, project.id, { title: "Done" });
  await fx.forceStatus(done.id, "completed");
  const dependent = await fx.createTask(owner.token, project.id, {
    title: "Depends on two",
    dependsOn: [done.id, plain.id],
  });
  const shaped = await fx.createTask(owner.token, project.id, { title: "Claimed, stopped, recurring" });
  // Parts the API sets only along longer paths (claims, stop requests, series), written straight, with
  // microseconds that both ways must truncate to the same milliseconds.
  await query(
    `update tasks set status = 'in_progress', progress = 40,
       claimed_by_id = $2, claimed_at = '2026-12-04 02:37:29.123987+00', lease_expires_at = '2026-12-04 02:47:29.999999+00',
       lease_seconds = 600, assignee_id = $2, started_at = '2026-12-04 02:37:29.000001+00',
       stop_requested_by_id = $3, stop_requested_at = '2026-12-04 02:40:00.5+00', stop_reason = 'Wrong "approach"',
       recurrence_pattern = 'weekly', recurrence_max = 5, occurrence = 2, series_id = $1,
       required_capabilities = '{deploy,review}', delegated_by_id = $3
     where id = $1`,
    [shaped.id, member.workerId, owner.workerId],
  );
  const acknowledged = await fx.createTask(owner.token, project.id, {
    title: "Stop acknowledged, no reason",
  });
  await query(
    `update tasks set stop_requested_at = now(), stop_acknowledged_at = now(), recurrence_pattern = 'daily',
       series_id = id, completed_at = '1999-01-02 03:04:05+00'
     where id = $1`,
    [acknowledged.id],
  );
  const actor: Actor = {
    tenantId: team.orgId,
    workerId: owner.workerId,
    type: "human",
    orgRole: "member",
    channel: "api",
    scopes: null,
  };
  const ids = [plain, odd, assigned, subtask, done, dependent, shaped, acknowledged].map((t) => t.id);
  return { ...team, actor, ids };
}

describe("the task list as PostgreSQL writes it", () => {
  it("is, for every shape of task, the page the API builds itself", async () => {
    const { actor, project, ids } = await tasksOfEveryShape();
    for (const sort of ["created", "updated", "priority", "due"] as const) {
      const listQuery = TaskListQuery.parse({ sort, limit: "100" });
      const built = await listTasks(api.db, actor, project.id, listQuery);
      const written: TaskPage = JSON.parse(await listTasksJson(api.db, actor, project.id, listQuery));
      expect(built.items.map((t) => t.id).sort()).toEqual([...ids].sort());
      expect(written).toEqual(built);
    }
  });

  it("says of each task what reading that task says, over REST", async () => {
    const { owner, project, ids } = await tasksOfEveryShape();
    const res = await api.call<TaskPage>("GET", `/api/projects/${project.id}/tasks?limit=100`, {
      token: owner.token,
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/json");
    expect(res.body.nextCursor).toBeNull();
    expect(res.body.items).toHaveLength(ids.length);
    for (const item of res.body.items) {
      const read = await api.call<Task & { subtasks: unknown[] }>("GET", `/api/tasks/${item.id}`, {
        token: owner.token,
      });
      expect(read.status).toBe(200);
      // A task read alone also lists its subtasks; the rest is the task as every read says it.
      const { subtasks: _subtasks, ...task } = read.body;
      expect(item).toEqual(task);
    }
    const shaped = res.body.items.find((t) => t.title === "Claimed, stopped, recurring");
    expect(shaped?.claim).toEqual({
      holderId: expect.any(String),
      claimedAt: "2026-12-04T02:37:29.123Z",
      leaseExpiresAt: "2026-12-04T02:47:29.999Z",
    });
    expect(shaped?.stop?.reason).toBe('Wrong "approach"');
    const dependent = res.body.items.find((t) => t.title === "Depends on two");
    expect(dependent?.dependsOn).toHaveLength(2);
    expect(dependent?.blockedBy).toHaveLength(1);
  });

  it("pages with the same cursors, and refuses whom the other refuses", async () => {
    const { outsider, stranger, actor, project, ids } = await tasksOfEveryShape();
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const listQuery = TaskListQuery.parse({ limit: "3", ...(cursor ? { cursor } : {}) });
      const built = await listTasks(api.db, actor, project.id, listQuery);
      const written: TaskPage = JSON.parse(await listTasksJson(api.db, actor, project.id, listQuery));
      expect(written).toEqual(built);
      seen.push(...written.items.map((t) => t.id));
      cursor = written.nextCursor;
    } while (cursor);
    expect(seen.sort()).toEqual([...ids].sort());
    // Not in the project, another tenant, no token: as before, never a page.
    for (const token of [stranger.token, outsider.token]) {
      const res = await api.call("GET", `/api/projects/${project.id}/tasks`, { token });
      expect([403, 404]).toContain(res.status);
    }
    const anonymous = await api.call("GET", `/api/projects/${project.id}/tasks`, {});
    expect(anonymous.status).toBe(401);
  });
});
