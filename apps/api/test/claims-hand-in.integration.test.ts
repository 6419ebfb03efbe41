import type { HeartbeatAnswer, Task } from "@taskflow/contracts";
import { expireLeases, schema } from "@taskflow/core";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { z } from "zod";
import { fixtures } from "./support/fixtures.ts";
import type { ProblemBody } from "./support/task-fixtures.ts";
import { startTestApi, type TestApi } from "./support/test-api.ts";

// A claim says "this worker is working on it now": it ends when the work is handed in (review, completed) or
// stops (blocked), the assignee staying; a rejection gives an agent assignee a fresh claim
// (packages/core/src/claims/claim-after-status-change.ts). Issue 12, finding 15: the claim outlived the work,
// the lease sweep then unassigned the agent from a task in review or completed, a rejection sent the task back
// to in_progress with nobody on it, and a heartbeat on a completed task answered "Carry on".

let api: TestApi;
let fx: ReturnType<typeof fixtures>;
beforeAll(async () => {
  api = await startTestApi();
  fx = fixtures(api);
});
afterAll(() => api.close());

type Beat = z.infer<typeof HeartbeatAnswer>;
type HeartbeatProblem = ProblemBody & { handedIn?: boolean; leaseExpired?: boolean; next?: string };
const leaseSeconds = 600;
const afterTheLease = () => new Date(Date.now() + (leaseSeconds + 60) * 1000);

async function stage() {
  const tenant = api.newTenant();
  const owner = await api.signIn({ orgId: tenant, orgRole: "owner" });
  const project = await fx.createProject(owner.token, "Hand-in");
  const { agent, apiKey } = await fx.registerAgent(owner.token, "@worker");
  await fx.addMember(owner.token, project.id, agent.id);
  const rest = <T>(method: string, path: string, token: string, body?: unknown) =>
    api.call<T>(method, path, { token, ...(body !== undefined ? { body } : {}) });
  /** A task the agent claimed, in progress under its lease. */
  const claimedTask = async () => {
    const task = (
      await rest<Task>("POST", `/api/projects/${project.id}/tasks`, owner.token, { title: "Work" })
    ).body;
    const claimed = await rest<Task>("POST", `/api/tasks/${task.id}/claim`, apiKey.key);
    expect(claimed.status).toBe(200);
    expect(claimed.body.claim?.holderId).toBe(agent.id);
    return claimed.body;
  };
  const move = (id: string, status: string, token = apiKey.key) =>
    rest<Task>("PATCH", `/api/tasks/${id}/status`, token, { status });
  const heartbeat = (id: string) =>
    rest<Beat & HeartbeatProblem>("POST", `/api/tasks/${id}/heartbeat`, apiKey.key);
  const expiries = async (taskId: string) =>
    api.db
      .select()
      .from(schema.auditLog)
      .where(and(eq(schema.auditLog.taskId, taskId), eq(schema.auditLog.action, "lease.expired")));
  return { owner, project, agent, key: apiKey.key, rest, claimedTask, move, heartbeat, expiries };
}

describe("a claim once the work is handed in", () => {
  it("ends when the task goes to review: the agent stays assigned, the sweep leaves it, a heartbeat says it was handed in", async () => {
    const s = await stage();
    const task = await s.claimedTask();
    const handed = await s.move(task.id, "review");
    expect(handed.status).toBe(200);
    expect(handed.body).toMatchObject({ status: "review", claim: null, assignee: { id: s.agent.id } });

    await expireLeases(api.db, afterTheLease());
    const after = await s.rest<Task>("GET", `/api/tasks/${task.id}`, s.owner.token);
    expect(after.body).toMatchObject({ status: "review", claim: null, assignee: { id: s.agent.id } });
    expect(await s.expiries(task.id)).toEqual([]);

    const beat = await s.heartbeat(task.id);
    expect(beat.status).toBe(409);
    expect(beat.body).toMatchObject({
      code: "conflict",
      handedIn: true,
      leaseExpired: false,
      current: "review",
    });
    expect(beat.body.detail).toMatch(/in review: its claim ended when the work was handed in/);
    expect(beat.body.next).toMatch(/Stop heartbeating/);
  });

  it("gives a rejected task back to its agent with a fresh claim, so it is neither orphaned nor held by nobody", async () => {
    const s = await stage();
    const task = await s.claimedTask();
    await s.move(task.id, "review");
    // The review takes longer than a lease: the sweep must not have taken the task from its agent meanwhile.
    await expireLeases(api.db, afterTheLease());
    const before = Date.now();
    const rejected = await s.rest<Task>("POST", `/api/tasks/${task.id}/reject`, s.owner.token, {
      reason: "Add the tests",
    });
    expect(rejected.status).toBe(200);
    expect(rejected.body).toMatchObject({
      status: "in_progress",
      assignee: { id: s.agent.id },
      claim: { holderId: s.agent.id },
    });
    const lease = Date.parse(rejected.body.claim?.leaseExpiresAt ?? "");
    expect(lease).toBeGreaterThanOrEqual(before + leaseSeconds * 1000 - 1000);
    expect(lease).toBeLessThanOrEqual(Date.now() + leaseSeconds * 1000 + 1000);

    const beat = await s.heartbeat(task.id);
    expect(beat.status).toBe(200);
    expect(beat.body.action).toBe("continue");

    // The same through PATCH /status (a rejection by another door).
    await s.move(task.id, "review");
    const back = await s.move(task.id, "in_progress", s.owner.token);
    expect(back.body.claim?.holderId).toBe(s.agent.id);

    // An agent gone silent: the fresh lease lapses like any other and the task returns to the pool.
    await expireLeases(api.db, afterTheLease());
    const returned = await s.rest<Task>("GET", `/api/tasks/${task.id}`, s.owner.token);
    expect(returned.body).toMatchObject({ status: "pending", assignee: null, claim: null });
    expect(await s.expiries(task.id)).toHaveLength(1);
  });

  it("ends when the task is completed (by the agent or by approval): no lease, no sweep, a heartbeat says so", async () => {
    const s = await stage();
    for (const path of ["complete", "approve"] as const) {
      const task = await s.claimedTask();
      if (path === "complete") {
        expect((await s.move(task.id, "completed")).body).toMatchObject({ status: "completed", claim: null });
      } else {
        await s.move(task.id, "review");
        const approved = await s.rest<Task>("POST", `/api/tasks/${task.id}/approve`, s.owner.token, {});
        expect(approved.body).toMatchObject({ status: "completed", claim: null });
      }
      await expireLeases(api.db, afterTheLease());
      const after = await s.rest<Task>("GET", `/api/tasks/${task.id}`, s.owner.token);
      expect(after.body, path).toMatchObject({
        status: "completed",
        claim: null,
        assignee: { id: s.agent.id },
      });
      expect(await s.expiries(task.id)).toEqual([]);
      const beat = await s.heartbeat(task.id);
      expect(beat.status).toBe(409);
      expect(beat.body).toMatchObject({ handedIn: true, current: "completed" });
      expect(beat.body.detail).not.toMatch(/renewed/i);
    }
  });

  it("ends when the agent blocks the task, which stays its own; a person's rejected task comes back without a claim", async () => {
    const s = await stage();
    const task = await s.claimedTask();
    expect((await s.move(task.id, "blocked")).body).toMatchObject({
      claim: null,
      assignee: { id: s.agent.id },
    });
    await expireLeases(api.db, afterTheLease());
    const after = await s.rest<Task>("GET", `/api/tasks/${task.id}`, s.owner.token);
    expect(after.body).toMatchObject({ status: "blocked", assignee: { id: s.agent.id } });

    const own = (
      await s.rest<Task>("POST", `/api/projects/${s.project.id}/tasks`, s.owner.token, {
        title: "Mine",
        assigneeId: (await s.rest<{ id: string }>("GET", "/api/workers/me", s.owner.token)).body.id,
      })
    ).body;
    await s.move(own.id, "in_progress", s.owner.token);
    await s.move(own.id, "review", s.owner.token);
    const rejected = await s.rest<Task>("POST", `/api/tasks/${own.id}/reject`, s.owner.token, {
      reason: "Again",
    });
    expect(rejected.body).toMatchObject({ status: "in_progress", claim: null });
  });

  it("ends a lapsed claim left on handed-in work by an older version without taking the task from its assignee", async () => {
    const s = await stage();
    const task = await s.claimedTask();
    await s.move(task.id, "review");
    // A row as the previous rule left it: in review, still claimed, the lease run out.
    await api.db
      .update(schema.tasks)
      .set({ claimedById: s.agent.id, claimedAt: new Date(), leaseExpiresAt: new Date(Date.now() - 1000) })
      .where(eq(schema.tasks.id, task.id));
    await expireLeases(api.db);
    const [row] = await api.db.select().from(schema.tasks).where(eq(schema.tasks.id, task.id));
    expect(row).toMatchObject({
      status: "review",
      assigneeId: s.agent.id,
      claimedById: null,
      leaseExpiresAt: null,
    });
  });
});
