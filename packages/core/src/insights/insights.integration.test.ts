import { randomUUID } from "node:crypto";
import type { TestDatabase } from "@taskflow/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "../actor.ts";
import type { TaskflowSchema } from "../db/database.ts";
import { auditLog } from "../db/schema/audit.ts";
import { projectMembers, projects } from "../db/schema/projects.ts";
import { workers } from "../db/schema/workers.ts";
import { createTaskflowTestDatabase, type HistoryWorker, TaskStory } from "../testing/index.ts";
import { getAgentInsights } from "./agent-insights.ts";
import { getProjectInsights } from "./project-insights.ts";

// A known history (PGlite, or PostgreSQL when TEST_DATABASE_URL is set), and the exact numbers it makes.
let database: TestDatabase<TaskflowSchema>;
const tenantId = `t_${randomUUID()}`;
const human = { id: randomUUID(), kind: "human" } satisfies HistoryWorker;
const reviewer = { id: randomUUID(), kind: "human" } satisfies HistoryWorker;
const stranger = { id: randomUUID(), kind: "human" } satisfies HistoryWorker;
const agentA = { id: randomUUID(), kind: "agent" } satisfies HistoryWorker;
const agentB = { id: randomUUID(), kind: "agent" } satisfies HistoryWorker;
const projectId = randomUUID();
const otherProjectId = randomUUID();

const at = (day: string, time: string) => new Date(`2026-${day}T${time}:00.000Z`);
const week = { from: "2026-03-02", to: "2026-03-08", weeks: 2 };

function person(workerId: string, orgRole: Actor["orgRole"] = "member", tenant = tenantId): Actor {
  return { tenantId: tenant, workerId, type: "human", orgRole, channel: "web", scopes: null };
}

function history(): TaskStory[] {
  const story = (project = projectId) => new TaskStory(tenantId, project);
  return [
    // Before the window: completed by a person (the baseline, and last week's throughput).
    story()
      .created(at("02-25", "10:00"), human)
      .moved("in_progress", at("02-26", "10:00"), human)
      .moved("completed", at("02-27", "10:00"), human),
    // An agent's work, rejected once, then approved: two stays in review, one agent completion.
    story()
      .created(at("03-02", "09:00"), human)
      .claimed(at("03-02", "10:00"), agentA)
      .progressed(at("03-02", "10:05"), agentA)
      .overdue(at("03-02", "10:07"))
      .moved("review", at("03-02", "11:00"), agentA)
      .rejected(at("03-02", "13:00"), reviewer, true)
      .moved("review", at("03-03", "13:00"), agentA)
      .approved(at("03-03", "14:00"), reviewer),
    // B's lease ran out at 10:30 (the sweep saw it at 12:00); A claims, is asked to stop, stops.
    story()
      .created(at("03-03", "09:00"), human)
      .claimed(at("03-03", "10:00"), agentB, 1800)
      .leaseExpired(at("03-03", "12:00"))
      .claimed(at("03-04", "09:00"), agentA)
      .stopRequested(at("03-04", "09:30"), human)
      .stopAcknowledged(at("03-04", "10:30"), agentA),
    // A person's task, completed, reopened, completed again.
    story()
      .created(at("03-04", "09:00"), human)
      .moved("in_progress", at("03-04", "10:00"), human)
      .moved("completed", at("03-04", "12:00"), human)
      .moved("in_progress", at("03-05", "09:00"), human)
      .moved("completed", at("03-05", "10:00"), human),
    story().created(at("03-05", "09:00"), human).deleted(at("03-06", "09:00"), human),
    story()
      .created(at("03-06", "09:00"), human)
      .claimed(at("03-06", "10:00"), agentB)
      .released(at("03-06", "11:00"), agentB),
    // Still held at the end of the window: a claim, no lease time yet.
    story().created(at("03-07", "09:00"), human).claimed(at("03-07", "10:00"), agentA),
    // Another project of the tenant: the agent's, not this project's.
    story(otherProjectId)
      .created(at("03-04", "09:00"), human)
      .claimed(at("03-04", "11:00"), agentA)
      .released(at("03-04", "12:00"), agentA),
  ];
}

beforeAll(async () => {
  database = await createTaskflowTestDatabase();
  const db = database.db;
  await db.insert(workers).values([
    { id: human.id, tenantId, kind: "human", handle: "hana", name: "Hana" },
    { id: reviewer.id, tenantId, kind: "human", handle: "rui", name: "Rui" },
    { id: stranger.id, tenantId, kind: "human", handle: "sam", name: "Sam" },
    { id: agentA.id, tenantId, kind: "agent", handle: "ada", name: "Ada" },
    { id: agentB.id, tenantId, kind: "agent", handle: "bob", name: "Bob" },
  ]);
  await db.insert(projects).values([
    { id: projectId, tenantId, slug: "flow", name: "Flow", ownerId: human.id },
    { id: otherProjectId, tenantId, slug: "other", name: "Other", ownerId: human.id },
  ]);
  await db.insert(projectMembers).values({ projectId, workerId: human.id, role: "owner" });
  await db.insert(auditLog).values(history().flatMap((s) => s.rows));
  // Another tenant's rows on the same project id and agent id must not count.
  const intruder = new TaskStory(`t_${randomUUID()}`, projectId);
  intruder
    .created(at("03-03", "09:00"), human)
    .claimed(at("03-03", "10:00"), agentA)
    .moved("completed", at("03-03", "11:00"), agentA);
  await db.insert(auditLog).values(intruder.rows);
});
afterAll(() => database?.close());

describe("project insights from the audit log", () => {
  it("counts each status at the end of every day, from the history before the window on", async () => {
    const insights = await getProjectInsights(database.db, person(human.id), projectId, week);
    expect(insights.from).toBe("2026-03-02");
    expect(insights.to).toBe("2026-03-08");
    const flow = insights.cumulativeFlow.map((d) => [
      d.date,
      d.pending,
      d.in_progress,
      d.review,
      d.blocked,
      d.completed,
    ]);
    expect(flow).toEqual([
      ["2026-03-02", 0, 1, 0, 0, 1],
      ["2026-03-03", 1, 0, 0, 0, 2],
      ["2026-03-04", 1, 0, 0, 0, 3],
      ["2026-03-05", 2, 0, 0, 0, 3],
      ["2026-03-06", 2, 0, 0, 0, 3],
      ["2026-03-07", 2, 1, 0, 0, 3],
      ["2026-03-08", 2, 1, 0, 0, 3],
    ]);
  });

  it("splits weekly completions by who did the work, a reopened task counting each time", async () => {
    const insights = await getProjectInsights(database.db, person(human.id), projectId, week);
    expect(insights.throughput).toEqual([
      { weekStart: "2026-02-23", people: 1, agents: 0 },
      { weekStart: "2026-03-02", people: 2, agents: 1 },
    ]);
  });

  it("measures each stay in review and each cycle, p50 and p90", async () => {
    const insights = await getProjectInsights(database.db, person(human.id), projectId, week);
    // Stays: 2 h (then rejected), 1 h (then approved).
    expect(insights.timeInReview).toEqual({ count: 2, p50Seconds: 5400, p90Seconds: 6840 });
    // Cycles: 2 h, 24 h (reopened, from the first start), 28 h.
    expect(insights.cycleTime).toEqual({ count: 3, p50Seconds: 86400, p90Seconds: 97920 });
  });

  it("attributes claims, completions, rejections, stops and lease time to the agents of the project", async () => {
    const insights = await getProjectInsights(database.db, person(human.id), projectId, week);
    expect(insights.agents).toEqual([
      {
        agentId: agentA.id,
        handle: "ada",
        name: "Ada",
        claims: 3,
        completions: 1,
        rejections: 1,
        stopRequests: 1,
        // 1 h until handed in, 1.5 h until the stop; the claim still held is not measured.
        endedLeases: 2,
        meanLeaseSeconds: 4500,
      },
      {
        agentId: agentB.id,
        handle: "bob",
        name: "Bob",
        claims: 2,
        completions: 0,
        rejections: 0,
        stopRequests: 0,
        // The lapsed lease counts to its expiry (30 min), not to the sweep (2 h); the release after 1 h.
        endedLeases: 2,
        meanLeaseSeconds: 2700,
      },
    ]);
  });

  it("reads only the window asked for", async () => {
    const insights = await getProjectInsights(database.db, person(human.id), projectId, {
      from: "2026-03-05",
      to: "2026-03-05",
      weeks: 1,
    });
    expect(insights.cumulativeFlow).toEqual([
      { date: "2026-03-05", pending: 2, in_progress: 0, review: 0, blocked: 0, completed: 3 },
    ]);
    expect(insights.throughput).toEqual([{ weekStart: "2026-03-02", people: 2, agents: 1 }]);
    expect(insights.cycleTime).toEqual({ count: 1, p50Seconds: 86400, p90Seconds: 86400 });
    expect(insights.timeInReview).toEqual({ count: 0, p50Seconds: null, p90Seconds: null });
    expect(insights.agents).toEqual([]);
  });

  it("is not found for someone outside the project or the tenant", async () => {
    await expect(getProjectInsights(database.db, person(stranger.id), projectId, week)).rejects.toMatchObject(
      {
        code: "not_found",
      },
    );
    const outsider = person(randomUUID(), "owner", `t_${randomUUID()}`);
    await expect(getProjectInsights(database.db, outsider, projectId, week)).rejects.toMatchObject({
      code: "not_found",
    });
  });
});

describe("agent insights from the audit log", () => {
  it("counts the agent across the tenant's projects, in total and per week", async () => {
    const insights = await getAgentInsights(database.db, person(human.id, "admin"), agentA.id, week);
    expect(insights.activity).toEqual({
      agentId: agentA.id,
      handle: "ada",
      name: "Ada",
      claims: 4,
      completions: 1,
      rejections: 1,
      stopRequests: 1,
      endedLeases: 3,
      meanLeaseSeconds: 4200,
    });
    expect(insights.weekly).toEqual([
      { weekStart: "2026-02-23", claims: 0, completions: 0, rejections: 0, stopRequests: 0 },
      { weekStart: "2026-03-02", claims: 4, completions: 1, rejections: 1, stopRequests: 1 },
    ]);
  });

  it("answers zeros for an agent with nothing in the window", async () => {
    const insights = await getAgentInsights(database.db, person(human.id, "owner"), agentB.id, {
      from: "2026-01-01",
      to: "2026-01-31",
      weeks: 1,
    });
    expect(insights.activity).toMatchObject({
      handle: "bob",
      claims: 0,
      endedLeases: 0,
      meanLeaseSeconds: null,
    });
    expect(insights.weekly).toEqual([
      { weekStart: "2026-01-26", claims: 0, completions: 0, rejections: 0, stopRequests: 0 },
    ]);
  });

  it("is refused to people who cannot see agents, and not found across tenants", async () => {
    await expect(
      getAgentInsights(database.db, person(human.id, "member"), agentA.id, week),
    ).rejects.toMatchObject({
      code: "forbidden",
    });
    const outsider = person(randomUUID(), "owner", `t_${randomUUID()}`);
    await expect(getAgentInsights(database.db, outsider, agentA.id, week)).rejects.toMatchObject({
      code: "not_found",
    });
    await expect(
      getAgentInsights(database.db, person(human.id, "admin"), human.id, week),
    ).rejects.toMatchObject({
      code: "not_found",
    });
  });
});
