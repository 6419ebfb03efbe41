import type { Notification, NotificationPage, Task } from "@taskflow/contracts";
import { NotificationScheduler, schema } from "@taskflow/core";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixtures } from "./support/fixtures.ts";
import { startTestApi, type TestApi, testNotificationSecret } from "./support/test-api.ts";

// Due reminders with a clock moved by hand: 24 hours before, 1 hour before, and overdue, each once per task and
// due date (packages/core/src/notifications/due-reminders.ts). Runs on PGlite and on the PostgreSQL server.

let api: TestApi;
let fx: ReturnType<typeof fixtures>;
beforeAll(async () => {
  api = await startTestApi();
  fx = fixtures(api);
});
afterAll(() => api.close());

const hour = 3_600_000;
const t0 = Date.parse("2031-03-10T12:00:00.000Z");
const at = (offsetMs: number) => new Date(t0 + offsetMs);

/** A scheduler as a replica runs it, leading, with the clock given; no mail (the inbox is what is checked). */
function scheduler(now: () => Date, isLeader = () => true) {
  return new NotificationScheduler(api.db, {
    isLeader,
    send: null,
    links: {
      dashboardUrl: "http://dashboard.test",
      apiUrl: "http://api.test",
      secret: testNotificationSecret,
    },
    digestHour: 8,
    intervalMs: 3_600_000,
    now,
  });
}

async function team() {
  const orgId = api.newTenant();
  const owner = await api.signIn({ orgId, orgRole: "member", name: "Olive Owner" });
  const member = await api.signIn({ orgId, orgRole: "member", name: "Max Member" });
  const orgAdmin = await api.signIn({ orgId, orgRole: "owner" });
  const project = await fx.createProject(owner.token, "Due");
  await fx.addMember(owner.token, project.id, member.workerId, "member");
  const { agent } = await fx.registerAgent(orgAdmin.token, `@due-${orgId.slice(-6)}`);
  await fx.addMember(owner.token, project.id, agent.id, "member");
  return { owner, member, project, agent };
}

type Person = Awaited<ReturnType<TestApi["signIn"]>>;

const reminders = async (person: Person) =>
  (
    await api.call<NotificationPage>("GET", "/api/notifications?limit=100", { token: person.token })
  ).body.items.filter((n) => n.kind === "due_soon" || n.kind === "overdue");

const titles = (items: Notification[]) => items.map((n) => n.title).reverse();

async function createTask(person: Person, projectId: string, body: Record<string, unknown>) {
  const res = await api.call<Task>("POST", `/api/projects/${projectId}/tasks`, { token: person.token, body });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

describe("due reminders", () => {
  it("24 hours before, 1 hour before, then overdue (assignee and creator), each once, and the task is marked", async () => {
    const t = await team();
    const task = await createTask(t.owner, t.project.id, {
      title: "Ship it",
      assigneeId: t.member.workerId,
      dueAt: at(30 * hour).toISOString(),
    });
    let now = at(0);
    const s = scheduler(() => now);
    expect((await s.tick()).reminders).toBe(0);
    expect(await reminders(t.member)).toEqual([]);

    now = at(7 * hour); // due in 23 h
    expect((await s.tick()).reminders).toBe(1);
    expect((await s.tick()).reminders).toBe(0);
    expect(titles(await reminders(t.member))).toEqual(["“Ship it” is due in 24 hours"]);

    now = at(29.5 * hour); // due in 30 min
    await s.tick();
    await s.tick();
    expect(titles(await reminders(t.member))).toEqual([
      "“Ship it” is due in 24 hours",
      "“Ship it” is due in 1 hour",
    ]);
    expect(await reminders(t.owner)).toEqual([]);

    now = at(30 * hour + 60_000); // a minute late
    await s.tick();
    await s.tick();
    const memberSees = await reminders(t.member);
    expect(titles(memberSees)).toEqual([
      "“Ship it” is due in 24 hours",
      "“Ship it” is due in 1 hour",
      "“Ship it” is overdue",
    ]);
    expect(memberSees.map((n) => n.actor)).toEqual([null, null, null]);
    expect(titles(await reminders(t.owner))).toEqual(["“Ship it” is overdue"]);
    const marks = await api.db
      .select()
      .from(schema.auditLog)
      .where(and(eq(schema.auditLog.taskId, task.id), eq(schema.auditLog.action, "task.overdue")));
    expect(marks).toHaveLength(1);
    expect(marks[0]).toMatchObject({ actorType: "system", channel: "system", projectId: t.project.id });

    // A replica started afresh (a restart) finds every moment taken.
    now = at(31 * hour);
    expect((await scheduler(() => now).tick()).reminders).toBe(0);
    expect(await reminders(t.member)).toHaveLength(3);
  });

  it("a task reaching a moment late gets only the latest; old overdue and completed tasks get nothing", async () => {
    const t = await team();
    await createTask(t.owner, t.project.id, {
      title: "Soon",
      assigneeId: t.member.workerId,
      dueAt: at(0.5 * hour).toISOString(),
    });
    await createTask(t.owner, t.project.id, {
      title: "Ancient",
      assigneeId: t.member.workerId,
      dueAt: at(-8 * 24 * hour).toISOString(),
    });
    const done = await createTask(t.owner, t.project.id, {
      title: "Done",
      assigneeId: t.member.workerId,
      dueAt: at(0.5 * hour).toISOString(),
    });
    for (const status of ["in_progress", "completed"]) {
      const moved = await api.call("PATCH", `/api/tasks/${done.id}/status`, {
        token: t.member.token,
        body: { status },
      });
      expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    }
    await scheduler(() => at(0)).tick();
    expect(titles(await reminders(t.member))).toEqual(["“Soon” is due in 1 hour"]);
  });

  it("follows a changed due date: the new date has moments of its own", async () => {
    const t = await team();
    const task = await createTask(t.owner, t.project.id, {
      title: "Moving",
      assigneeId: t.member.workerId,
      dueAt: at(20 * hour).toISOString(),
    });
    let now = at(0);
    const s = scheduler(() => now);
    await s.tick();
    expect(titles(await reminders(t.member))).toEqual(["“Moving” is due in 24 hours"]);
    const moved = await api.call("PATCH", `/api/tasks/${task.id}`, {
      token: t.owner.token,
      body: { dueAt: at(3 * 24 * hour).toISOString() },
    });
    expect(moved.status).toBe(200);
    now = at(19.5 * hour); // the old date's 1-hour moment: nothing, the date moved
    await s.tick();
    expect(await reminders(t.member)).toHaveLength(1);
    now = at(2 * 24 * hour + 1); // the new date is 24 h away
    await s.tick();
    expect(titles(await reminders(t.member))).toEqual([
      "“Moving” is due in 24 hours",
      "“Moving” is due in 24 hours",
    ]);
    const keys = await api.db
      .select()
      .from(schema.dueReminders)
      .where(eq(schema.dueReminders.taskId, task.id));
    expect(keys.map((k) => [k.dueAt.toISOString(), k.moment]).sort()).toEqual([
      [at(20 * hour).toISOString(), "due_in_24h"],
      [at(3 * 24 * hour).toISOString(), "due_in_24h"],
    ]);
  });

  it("tells the creator when the assignee is an agent or nobody", async () => {
    const t = await team();
    await createTask(t.member, t.project.id, {
      title: "Agent's",
      assigneeId: t.agent.id,
      dueAt: at(hour / 2).toISOString(),
    });
    await createTask(t.member, t.project.id, { title: "Nobody's", dueAt: at(hour / 2).toISOString() });
    await scheduler(() => at(0)).tick();
    expect(titles(await reminders(t.member)).sort()).toEqual([
      "“Agent's” is due in 1 hour",
      "“Nobody's” is due in 1 hour",
    ]);
  });

  it("only the leader works; replicas that all believe they lead still send each reminder once", async () => {
    const t = await team();
    for (let i = 0; i < 10; i++) {
      await createTask(t.owner, t.project.id, {
        title: `Race ${i}`,
        assigneeId: t.member.workerId,
        dueAt: at(hour / 2 + i * 1000).toISOString(),
      });
    }
    const follower = await scheduler(
      () => at(0),
      () => false,
    ).tick();
    expect(follower).toMatchObject({ led: false, reminders: 0 });
    const replicas = Array.from({ length: 4 }, () => scheduler(() => at(0)));
    const rounds = await Promise.all(replicas.flatMap((s) => [s.tick(), s.tick()]));
    // Each round's report once (a tick asked for while one runs shares its report): together exactly ten.
    expect([...new Set(rounds)].reduce((sum, r) => sum + r.reminders, 0)).toBe(10);
    const seen = await reminders(t.member);
    expect(seen).toHaveLength(10);
    expect(new Set(seen.map((n) => n.taskId)).size).toBe(10);
  });
});
