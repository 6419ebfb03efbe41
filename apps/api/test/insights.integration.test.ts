import type { AgentInsights, ProjectInsights, Task } from "@taskflow/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixtures } from "./support/fixtures.ts";
import type { ProblemBody } from "./support/task-fixtures.ts";
import { startTestApi, type TestApi } from "./support/test-api.ts";

// Insights read the audit rows the real routes write: this history is made through the API itself (an
// agent claims, hands in, is rejected, is approved; a person completes their own task), so the counts
// prove the queries read what the domain writes. Exact durations are core's test (packages/core/src/insights).

let api: TestApi;
let fx: ReturnType<typeof fixtures>;
beforeAll(async () => {
  api = await startTestApi();
  fx = fixtures(api);
});
afterAll(() => api.close());

const today = () => new Date().toISOString().slice(0, 10);
const yesterday = () => new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);

async function projectWithHistory() {
  const orgId = api.newTenant();
  const owner = await api.signIn({ orgId, orgRole: "owner" });
  const viewer = await api.signIn({ orgId, orgRole: "member" });
  const outsider = await api.signIn({ orgId, orgRole: "member" });
  const project = await fx.createProject(owner.token, "Measured");
  await fx.addMember(owner.token, project.id, viewer.workerId, "viewer");
  const { agent, apiKey } = await fx.registerAgent(owner.token, "@measurer");
  await fx.addMember(owner.token, project.id, agent.id);
  const call = async <T>(method: string, path: string, token: string, body?: unknown) => {
    const res = await api.call<T>(method, path, { token, ...(body !== undefined ? { body } : {}) });
    expect(res.status, `${method} ${path}: ${JSON.stringify(res.body)}`).toBeLessThan(300);
    return res.body;
  };
  const newTask = (title: string) =>
    call<Task>("POST", `/api/projects/${project.id}/tasks`, owner.token, { title });
  // The agent's task: claimed, handed in, sent back, handed in again, approved.
  const agentTask = await newTask("Agent work");
  await call("POST", `/api/tasks/${agentTask.id}/claim`, apiKey.key);
  await call("PATCH", `/api/tasks/${agentTask.id}/status`, apiKey.key, { status: "review" });
  await call("POST", `/api/tasks/${agentTask.id}/reject`, owner.token, { reason: "Add tests" });
  await call("PATCH", `/api/tasks/${agentTask.id}/status`, apiKey.key, { status: "review" });
  await call("POST", `/api/tasks/${agentTask.id}/approve`, owner.token);
  // A person's task: started, completed, reopened, completed again.
  const ownTask = await newTask("Own work");
  for (const status of ["in_progress", "completed", "in_progress", "completed"]) {
    await call("PATCH", `/api/tasks/${ownTask.id}/status`, owner.token, { status });
  }
  // One claimed and asked to stop; one left pending.
  const stopped = await newTask("Stopped work");
  await call("POST", `/api/tasks/${stopped.id}/claim`, apiKey.key);
  await call("POST", `/api/tasks/${stopped.id}/stop`, owner.token, { reason: "Wrong approach" });
  await newTask("Waiting");
  return { orgId, owner, viewer, outsider, project, agent };
}

describe("GET /api/projects/{id}/insights", () => {
  it("draws today's flow, throughput, times and agents from the history the routes wrote", async () => {
    const { viewer, project, agent } = await projectWithHistory();
    const res = await api.call<ProjectInsights>(
      "GET",
      // From yesterday, so a history made across midnight is still all in the window; the last day is now.
      `/api/projects/${project.id}/insights?from=${yesterday()}&to=${today()}&weeks=2`,
      { token: viewer.token },
    );
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.cumulativeFlow.at(-1)).toEqual({
      date: today(),
      pending: 1,
      in_progress: 1,
      review: 0,
      blocked: 0,
      completed: 2,
    });
    const sum = (key: "people" | "agents") => res.body.throughput.reduce((n, w) => n + w[key], 0);
    expect([sum("people"), sum("agents")]).toEqual([2, 1]);
    expect(res.body.timeInReview.count).toBe(2);
    expect(res.body.cycleTime.count).toBe(3);
    expect(res.body.agents).toEqual([
      expect.objectContaining({
        agentId: agent.id,
        handle: "@measurer",
        claims: 2,
        completions: 1,
        rejections: 1,
        stopRequests: 1,
        endedLeases: 1,
      }),
    ]);
  });

  it("defaults to the 30 days ending today and 12 weeks", async () => {
    const { owner, project } = await projectWithHistory();
    const res = await api.call<ProjectInsights>("GET", `/api/projects/${project.id}/insights`, {
      token: owner.token,
    });
    expect(res.status).toBe(200);
    expect(res.body.to).toBe(today());
    expect(res.body.cumulativeFlow).toHaveLength(30);
    expect(res.body.throughput).toHaveLength(12);
  });

  it("is not found for someone outside the project, or in another organization", async () => {
    const { project, outsider } = await projectWithHistory();
    const stranger = await api.signIn({ orgId: api.newTenant(), orgRole: "owner" });
    for (const token of [outsider.token, stranger.token]) {
      const res = await api.call<ProblemBody>("GET", `/api/projects/${project.id}/insights`, { token });
      expect(res.status).toBe(404);
      expect(res.headers.get("content-type")).toContain("application/problem+json");
    }
  });

  it("refuses bad parameters with 400 naming the field, and well-formed days that make no window with 422", async () => {
    const { owner, project } = await projectWithHistory();
    const cases: [string, string, number][] = [
      ["from=2026-02-30", "query.from", 400],
      ["to=yesterday", "query.to", 400],
      ["weeks=0", "query.weeks", 400],
      ["weeks=53", "query.weeks", 400],
      ["weeks=two", "query.weeks", 400],
      ["days=7", "query", 400],
      // Each day is valid alone; together they are not a window (reversed, longer than 366 days), or a day is
      // outside the years every date may have: well-formed, cannot be applied.
      ["from=2026-03-09&to=2026-03-08", "query.from", 422],
      ["from=2024-01-01&to=2026-01-01", "query.from", 422],
      ["to=0039-04-27", "query.to", 422],
    ];
    for (const [query, field, status] of cases) {
      const res = await api.call<ProblemBody>("GET", `/api/projects/${project.id}/insights?${query}`, {
        token: owner.token,
      });
      expect(res.status, query).toBe(status);
      expect(res.headers.get("content-type")).toContain("application/problem+json");
      expect(
        res.body.errors?.map((e) => e.field),
        query,
      ).toContain(field);
    }
    const notAnId = await api.call<ProblemBody>("GET", "/api/projects/not-a-uuid/insights", {
      token: owner.token,
    });
    expect(notAnId.status).toBe(400);
  });
});

describe("GET /api/agents/{id}/insights", () => {
  it("shows an organization admin what the agent did, in total and this week", async () => {
    const { owner, agent } = await projectWithHistory();
    const res = await api.call<AgentInsights>("GET", `/api/agents/${agent.id}/insights?weeks=2`, {
      token: owner.token,
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.activity).toMatchObject({
      agentId: agent.id,
      claims: 2,
      completions: 1,
      rejections: 1,
      stopRequests: 1,
      endedLeases: 1,
    });
    expect(res.body.weekly).toHaveLength(2);
    expect(res.body.weekly[1]).toMatchObject({ claims: 2, completions: 1, rejections: 1, stopRequests: 1 });
  });

  it("is refused to people who may not see agents, and not found in another organization", async () => {
    const { viewer, agent } = await projectWithHistory();
    const refused = await api.call<ProblemBody>("GET", `/api/agents/${agent.id}/insights`, {
      token: viewer.token,
    });
    expect(refused.status).toBe(403);
    const stranger = await api.signIn({ orgId: api.newTenant(), orgRole: "owner" });
    const hidden = await api.call<ProblemBody>("GET", `/api/agents/${agent.id}/insights`, {
      token: stranger.token,
    });
    expect(hidden.status).toBe(404);
    const bad = await api.call<ProblemBody>("GET", `/api/agents/${agent.id}/insights?to=2026-13-01`, {
      token: stranger.token,
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors?.map((e) => e.field)).toContain("query.to");
  });

  it("is published in the OpenAPI document with its query parameters", async () => {
    const spec = await api.call<{ paths: Record<string, { get?: { parameters?: { name: string }[] } }> }>(
      "GET",
      "/openapi.json",
    );
    for (const path of ["/api/projects/{id}/insights", "/api/agents/{id}/insights"]) {
      const names = spec.body.paths[path]?.get?.parameters?.map((p) => p.name);
      expect(names).toEqual(expect.arrayContaining(["id", "from", "to", "weeks"]));
    }
  });
});
