import type { CommentPage, IssuedAgentKey, Task, Worker } from "@taskflow/contracts";
import { schema } from "@taskflow/core";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ProblemBody, taskFixtures } from "./support/task-fixtures.ts";
import { startTestApi, type TestApi } from "./support/test-api.ts";

let api: TestApi;
let fx: ReturnType<typeof taskFixtures>;
let team: Awaited<ReturnType<ReturnType<typeof taskFixtures>["team"]>>;
beforeAll(async () => {
  api = await startTestApi();
  fx = taskFixtures(api);
  team = await fx.team();
});
afterAll(() => api.close());

const statuses = ["pending", "in_progress", "review", "completed", "blocked"] as const;
type Status = (typeof statuses)[number];

/** The table the README documents; the API must follow it exactly. */
const expected: Record<Status, Status[]> = {
  pending: ["in_progress", "blocked"],
  in_progress: ["review", "completed", "blocked", "pending"],
  review: ["completed", "in_progress"],
  blocked: ["in_progress", "pending"],
  completed: ["in_progress"],
};
const reviewersOnly: [Status, Status][] = [
  ["review", "completed"],
  ["review", "in_progress"],
];

describe("the transition table, exhaustively", () => {
  for (const from of statuses) {
    for (const to of statuses) {
      const allowed = expected[from].includes(to);
      it(`${from} → ${to}: ${allowed ? "allowed" : "409 listing the allowed moves"}`, async () => {
        const task = await fx.createTask(team.owner.token, team.project.id);
        await fx.forceStatus(task.id, from);
        const res = await api.call<unknown>("PATCH", `/api/tasks/${task.id}/status`, {
          token: team.owner.token,
          body: { status: to },
        });
        if (allowed) {
          expect(res.status, JSON.stringify(res.body)).toBe(200);
          expect(res.body).toMatchObject({ status: to, version: 2 });
        } else {
          expect(res.status).toBe(409);
          expect(res.headers.get("content-type")).toBe("application/problem+json");
          const problem = res.body as ProblemBody;
          expect(problem.code).toBe("invalid_transition");
          expect(problem.current).toBe(from);
          expect([...(problem.allowed ?? [])].sort()).toEqual([...expected[from]].sort());
          const unchanged = await api.call<Task>("GET", `/api/tasks/${task.id}`, { token: team.owner.token });
          expect(unchanged.body).toMatchObject({ status: from, version: 1 });
        }
      });
    }
  }

  it("leaves review only to reviewers: a member gets 403, an admin may", async () => {
    for (const [from, to] of reviewersOnly) {
      const task = await fx.createTask(team.member.token, team.project.id);
      await fx.forceStatus(task.id, from);
      const asMember = await api.call<ProblemBody>("PATCH", `/api/tasks/${task.id}/status`, {
        token: team.member.token,
        body: { status: to },
      });
      expect(asMember.status).toBe(403);
      const asAdmin = await api.call<Task>("PATCH", `/api/tasks/${task.id}/status`, {
        token: team.admin.token,
        body: { status: to },
      });
      expect(asAdmin.status).toBe(200);
    }
  });

  it("treats leaving review through PATCH /status as the approval or rejection it is: a key without manage is refused (403, audited) as on /approve", async () => {
    // Issue 12, finding 4: an admin agent's default key (no manage) completed a task in review
    // through PATCH /status, which POST /approve refused it.
    const orgAdmin = await api.signIn({ orgId: team.orgId, orgRole: "owner" });
    const registered = await api.call<{ agent: Worker; apiKey: IssuedAgentKey }>("POST", "/api/agents", {
      token: orgAdmin.token,
      body: { handle: "no-manage", name: "No manage", agentType: "claude-code" },
    });
    await fx.addToProject(team.project.id, registered.body.agent.id, "admin");
    const key = registered.body.apiKey.key;
    for (const [to, route, body] of [
      ["completed", "approve", {}],
      ["in_progress", "reject", { reason: "Redo" }],
    ] as const) {
      const task = await fx.createTask(team.owner.token, team.project.id);
      await fx.forceStatus(task.id, "review");
      const viaStatus = await api.call<ProblemBody & { scopeDenied?: unknown }>(
        "PATCH",
        `/api/tasks/${task.id}/status`,
        { token: key, body: { status: to } },
      );
      expect(viaStatus.status, JSON.stringify(viaStatus.body)).toBe(403);
      expect(viaStatus.body.scopeDenied).toEqual({ action: "manage", projectId: team.project.id });
      const viaVerb = await api.call<ProblemBody & { scopeDenied?: unknown }>(
        "POST",
        `/api/tasks/${task.id}/${route}`,
        { token: key, body },
      );
      expect(viaVerb.status).toBe(403);
      expect(viaVerb.body.scopeDenied).toEqual(viaStatus.body.scopeDenied);
      const after = await api.call<Task>("GET", `/api/tasks/${task.id}`, { token: team.owner.token });
      expect(after.body).toMatchObject({ status: "review", version: 1 });
    }
    const denials = await api.db
      .select()
      .from(schema.auditLog)
      .where(
        and(
          eq(schema.auditLog.actorId, registered.body.agent.id),
          eq(schema.auditLog.action, "agent_key.scope_denied"),
        ),
      );
    expect(denials.map((row) => (row.after as { action: string }).action)).toEqual([
      "manage",
      "manage",
      "manage",
      "manage",
    ]);
  });

  it("lets a member make every other allowed move", async () => {
    for (const from of statuses) {
      for (const to of expected[from]) {
        if (reviewersOnly.some(([f, t]) => f === from && t === to)) continue;
        const task = await fx.createTask(team.member.token, team.project.id);
        await fx.forceStatus(task.id, from);
        const res = await api.call("PATCH", `/api/tasks/${task.id}/status`, {
          token: team.member.token,
          body: { status: to },
        });
        expect(res.status, `${from} → ${to}`).toBe(200);
      }
    }
  });

  it("refuses an unknown status with 400 naming body.status", async () => {
    const task = await fx.createTask(team.owner.token, team.project.id);
    for (const body of [{ status: "done" }, {}, { status: "completed", extra: true }]) {
      const res = await api.call<ProblemBody>("PATCH", `/api/tasks/${task.id}/status`, {
        token: team.owner.token,
        body,
      });
      expect(res.status).toBe(400);
      expect(res.body.errors?.[0]?.field).toMatch(/^body/);
    }
  });
});

describe("timestamps set by transitions", () => {
  it("sets startedAt on the first start only, completedAt and progress 100 on completion, clears completedAt on reopening", async () => {
    const { owner, project } = team;
    const task = await fx.createTask(owner.token, project.id);
    const started = await fx.setStatus(owner.token, task.id, "in_progress");
    expect(started.startedAt).not.toBeNull();
    expect(started.completedAt).toBeNull();
    await fx.setStatus(owner.token, task.id, "blocked");
    const resumed = await fx.setStatus(owner.token, task.id, "in_progress");
    expect(resumed.startedAt).toBe(started.startedAt);
    const done = await fx.setStatus(owner.token, task.id, "completed");
    expect(done.completedAt).not.toBeNull();
    expect(done.progress).toBe(100);
    expect(done.startedAt).toBe(started.startedAt);
    const reopened = await fx.setStatus(owner.token, task.id, "in_progress");
    expect(reopened.completedAt).toBeNull();
    expect(reopened.startedAt).toBe(started.startedAt);
    expect(reopened.version).toBe(6);
  });

  it("keeps a status note as a comment", async () => {
    const task = await fx.createTask(team.owner.token, team.project.id);
    const res = await api.call<Task>("PATCH", `/api/tasks/${task.id}/status`, {
      token: team.member.token,
      body: { status: "blocked", note: "Waiting for the API keys" },
    });
    expect(res.status).toBe(200);
    const comments = await api.call<CommentPage>("GET", `/api/tasks/${task.id}/comments`, {
      token: team.owner.token,
    });
    expect(comments.body.items).toMatchObject([{ kind: "note", body: "Waiting for the API keys" }]);
  });
});
