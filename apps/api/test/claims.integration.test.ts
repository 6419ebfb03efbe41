import type { ClaimNextAnswer, HeartbeatAnswer, Task } from "@taskflow/contracts";
import { expireLeases, schema } from "@taskflow/core";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { z } from "zod";
import { fixtures } from "./support/fixtures.ts";
import { startTestApi, type TestApi } from "./support/test-api.ts";

let api: TestApi;
let fx: ReturnType<typeof fixtures>;
beforeAll(async () => {
  api = await startTestApi();
  fx = fixtures(api);
});
afterAll(() => api.close());

type NextAnswer = z.infer<typeof ClaimNextAnswer>;
type Beat = z.infer<typeof HeartbeatAnswer>;

/** An organization with a project and `count` agent workers who are members of it. */
async function team(count: number, capabilities: string[] = []) {
  const tenant = api.newTenant();
  const owner = await api.signIn({ orgId: tenant, orgRole: "owner" });
  const project = await fx.createProject(owner.token, "Claims");
  const agents = [];
  for (let i = 0; i < count; i++) {
    const { agent, apiKey } = await fx.registerAgent(owner.token, `@agent-${i}`, { capabilities });
    await fx.addMember(owner.token, project.id, agent.id);
    agents.push({ id: agent.id, key: apiKey.key });
  }
  const newTask = async (body: Record<string, unknown> = {}) =>
    (
      await api.call<Task>("POST", `/api/projects/${project.id}/tasks`, {
        token: owner.token,
        body: { title: "Work", ...body },
      })
    ).body;
  return { tenant, owner, project, agents, newTask };
}

describe("claims", () => {
  it("fifty concurrent claims on ten tasks: every task claimed exactly once", async () => {
    const t = await team(50);
    const tasks = await Promise.all(Array.from({ length: 10 }, (_, i) => t.newTask({ title: `Job ${i}` })));
    const answers = await Promise.all(
      t.agents.map((a) =>
        api.call<NextAnswer>("POST", "/api/tasks/claim-next", {
          token: a.key,
          body: { projectId: t.project.id },
        }),
      ),
    );
    expect(answers.every((a) => a.status === 200)).toBe(true);
    const won = answers.filter((a) => a.body.task !== null).map((a) => a.body.task as Task);
    expect(won).toHaveLength(10);
    expect(new Set(won.map((w) => w.id))).toEqual(new Set(tasks.map((x) => x.id)));
    for (const w of won) expect(w.claim?.holderId).toBe(w.assignee?.id);
    const rows = await api.db.query.auditLog.findMany({
      where: (a, { and, eq }) => and(eq(a.tenantId, t.tenant), eq(a.action, "task.claimed")),
    });
    expect(rows).toHaveLength(10);
  });

  it("many agents racing for one task: exactly one wins, the others learn who holds it", async () => {
    const t = await team(12);
    const task = await t.newTask();
    const results = await Promise.all(
      t.agents.map((a) =>
        api.call<Task & { heldBy?: { handle: string } }>("POST", `/api/tasks/${task.id}/claim`, {
          token: a.key,
        }),
      ),
    );
    const winners = results.filter((r) => r.status === 200);
    expect(winners).toHaveLength(1);
    const winner = winners[0]?.body as Task;
    const losers = results.filter((r) => r.status === 409);
    expect(losers).toHaveLength(11);
    const holder = t.agents.findIndex((a) => a.id === winner.claim?.holderId);
    for (const loser of losers) expect(loser.body.heldBy?.handle).toBe(`@agent-${holder}`);
  });

  it("claims the highest priority first, then the earliest due, and skips what it may not take", async () => {
    const t = await team(1, ["python"]);
    const [agent] = t.agents as [{ id: string; key: string }];
    await t.newTask({ title: "low", priority: "low" });
    await t.newTask({ title: "high late", priority: "high", dueAt: "2030-01-02T00:00:00Z" });
    await t.newTask({ title: "high soon", priority: "high", dueAt: "2030-01-01T00:00:00Z" });
    await t.newTask({
      title: "critical but needs rust",
      priority: "critical",
      requiredCapabilities: ["rust"],
    });
    await t.newTask({
      title: "critical but someone else's",
      priority: "critical",
      assigneeId: t.owner.workerId,
    });
    const order: string[] = [];
    for (;;) {
      const next = await api.call<NextAnswer>("POST", "/api/tasks/claim-next", {
        token: agent.key,
        body: {},
      });
      if (!next.body.task) break;
      order.push(next.body.task.title);
    }
    expect(order).toEqual(["high soon", "high late", "low"]);
  });

  it("does not let a task with unfinished dependencies be claimed, and shows what blocks it", async () => {
    const t = await team(1);
    const [agent] = t.agents as [{ id: string; key: string }];
    const first = await t.newTask({ title: "first" });
    const second = await t.newTask({ title: "second", priority: "critical" });
    await api.db
      .insert(schema.taskDependencies)
      .values({ taskId: second.id, dependsOnId: first.id, tenantId: t.tenant });
    const blocked = await api.call<Task & { blockedBy?: string[] }>("POST", `/api/tasks/${second.id}/claim`, {
      token: agent.key,
    });
    expect(blocked.status).toBe(409);
    expect(blocked.body.blockedBy).toEqual([first.id]);
    const next = await api.call<NextAnswer>("POST", "/api/tasks/claim-next", { token: agent.key, body: {} });
    expect(next.body.task?.id).toBe(first.id);
    const shown = await api.call<Task>("GET", `/api/tasks/${second.id}`, { token: t.owner.token });
    expect(shown.body.blockedBy).toEqual([first.id]);
    await api.call("PATCH", `/api/tasks/${first.id}/status`, {
      token: agent.key,
      body: { status: "completed" },
    });
    const now = await api.call<Task>("POST", `/api/tasks/${second.id}/claim`, { token: agent.key });
    expect(now.status).toBe(200);
  });
});

describe("leases", () => {
  it("a heartbeat renews the lease; a lapsed lease returns the task with a system audit row", async () => {
    const t = await team(1);
    const [agent] = t.agents as [{ id: string; key: string }];
    const task = await t.newTask();
    const claimed = await api.call<Task>("POST", `/api/tasks/${task.id}/claim`, { token: agent.key });
    const firstLease = claimed.body.claim?.leaseExpiresAt as string;

    const beat = await api.call<Beat>("POST", `/api/tasks/${task.id}/heartbeat`, {
      token: agent.key,
      body: { progress: 30, note: "parsing done" },
    });
    expect(beat.status).toBe(200);
    expect(beat.body.action).toBe("continue");
    expect(beat.body.task.progress).toBe(30);
    expect(Date.parse(beat.body.leaseExpiresAt)).toBeGreaterThanOrEqual(Date.parse(firstLease));

    // Sweep as if the lease had run out (no sleeping in tests: the sweeper takes "now").
    const later = new Date(Date.parse(beat.body.leaseExpiresAt) + 1000);
    expect(await expireLeases(api.db, later)).toBeGreaterThanOrEqual(1);
    const returned = await api.call<Task>("GET", `/api/tasks/${task.id}`, { token: t.owner.token });
    expect(returned.body).toMatchObject({ status: "pending", claim: null, assignee: null });
    const expiry = await api.db.query.auditLog.findFirst({
      where: (a, { and, eq }) => and(eq(a.taskId, task.id), eq(a.action, "lease.expired")),
    });
    expect(expiry).toMatchObject({ actorType: "system", channel: "system", actorId: null });

    const late = await api.call<{ leaseExpired: boolean }>("POST", `/api/tasks/${task.id}/heartbeat`, {
      token: agent.key,
      body: {},
    });
    expect(late.status).toBe(409);
    expect(late.body.leaseExpired).toBe(true);
  });

  it.each([
    ["a progress update", "PATCH", "progress", { progress: 40 }],
    ["a progress note", "POST", "comments", { kind: "progress", body: "half way", progress: 50 }],
    ["a heartbeat with progress", "POST", "heartbeat", { progress: 60 }],
  ])(
    "%s from the holder renews the lease; from someone else it does not",
    async (_label, method, verb, body) => {
      const t = await team(1);
      const [agent] = t.agents as [{ id: string; key: string }];
      const task = await t.newTask();
      await api.call("POST", `/api/tasks/${task.id}/claim`, { token: agent.key });
      // Bring the lease close to its end, so a renewal (a whole lease from now) is unmistakable.
      const nearlyOver = new Date(Date.now() + 5_000);
      const shorten = () =>
        api.db.update(schema.tasks).set({ leaseExpiresAt: nearlyOver }).where(eq(schema.tasks.id, task.id));
      const lease = async () =>
        Date.parse(
          (await api.call<Task>("GET", `/api/tasks/${task.id}`, { token: t.owner.token })).body.claim
            ?.leaseExpiresAt as string,
        );
      await shorten();

      const byOwner = await api.call("PATCH", `/api/tasks/${task.id}/progress`, {
        token: t.owner.token,
        body: { progress: 10 },
      });
      expect(byOwner.status).toBe(200);
      expect(await lease()).toBe(nearlyOver.getTime());

      const report = await api.call(method, `/api/tasks/${task.id}/${verb}`, { token: agent.key, body });
      expect(report.status, JSON.stringify(report.body)).toBeLessThan(300);
      // The default lease is 10 minutes: renewed, it ends far beyond the shortened one.
      expect(await lease()).toBeGreaterThan(nearlyOver.getTime() + 60_000);
    },
  );

  it("lets the holder release a task back to the pool", async () => {
    const t = await team(2);
    const [a, b] = t.agents as [{ id: string; key: string }, { id: string; key: string }];
    const task = await t.newTask();
    await api.call("POST", `/api/tasks/${task.id}/claim`, { token: a.key });
    expect((await api.call("POST", `/api/tasks/${task.id}/release`, { token: b.key })).status).toBe(409);
    const released = await api.call<Task>("POST", `/api/tasks/${task.id}/release`, { token: a.key });
    expect(released.body).toMatchObject({ status: "pending", claim: null, assignee: null });
    expect((await api.call("POST", `/api/tasks/${task.id}/claim`, { token: b.key })).status).toBe(200);
  });
});

describe("stop signal", () => {
  it("a person asks to stop, the next heartbeat says stop, the acknowledgement is audited and shown", async () => {
    const t = await team(1);
    const [agent] = t.agents as [{ id: string; key: string }];
    const task = await t.newTask();
    expect(
      (await api.call("POST", `/api/tasks/${task.id}/stop`, { token: t.owner.token, body: {} })).status,
    ).toBe(409);
    await api.call("POST", `/api/tasks/${task.id}/claim`, { token: agent.key });
    const agentCannot = await api.call("POST", `/api/tasks/${task.id}/stop`, { token: agent.key, body: {} });
    expect(agentCannot.status).toBe(403);

    const asked = await api.call<Task>("POST", `/api/tasks/${task.id}/stop`, {
      token: t.owner.token,
      body: { reason: "wrong approach" },
    });
    expect(asked.body.stop).toMatchObject({
      requestedById: t.owner.workerId,
      reason: "wrong approach",
      acknowledgedAt: null,
    });

    const beat = await api.call<Beat>("POST", `/api/tasks/${task.id}/heartbeat`, {
      token: agent.key,
      body: {},
    });
    expect(beat.body.action).toBe("stop");

    const ack = await api.call<Task>("POST", `/api/tasks/${task.id}/stop/acknowledge`, {
      token: agent.key,
      body: { note: "stopped at step 2" },
    });
    expect(ack.status).toBe(200);
    expect(ack.body.status).toBe("pending");
    expect(ack.body.claim).toBeNull();
    expect(ack.body.stop?.acknowledgedAt).not.toBeNull();
    const rows = await api.db.query.auditLog.findMany({
      where: (a, { and, eq }) => and(eq(a.taskId, task.id)),
      orderBy: (a, { asc }) => asc(a.id),
    });
    const actions = rows.map((r) => `${r.action}:${r.actorType}`);
    expect(actions).toEqual(
      expect.arrayContaining([
        "task.claimed:agent",
        "task.stop_requested:human",
        "task.stop_acknowledged:agent",
      ]),
    );
    const again = await api.call("POST", `/api/tasks/${task.id}/stop/acknowledge`, {
      token: agent.key,
      body: {},
    });
    expect(again.status).toBe(409);
  });

  it("keeps claims inside the tenant: another organization's agent gets 404", async () => {
    const t = await team(1);
    const other = await team(1);
    const task = await t.newTask();
    const intruder = (other.agents[0] as { key: string }).key;
    for (const path of ["claim", "heartbeat", "release", "stop/acknowledge"]) {
      const res = await api.call("POST", `/api/tasks/${task.id}/${path}`, { token: intruder, body: {} });
      expect(res.status, path).toBe(404);
    }
    const next = await api.call<NextAnswer>("POST", "/api/tasks/claim-next", { token: intruder, body: {} });
    expect(next.body.task).toBeNull();
  });
});
