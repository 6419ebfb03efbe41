import type {
  ActivityPage,
  AgentRun,
  HeartbeatAnswer,
  RunList,
  RunWithActivity,
  Task,
} from "@taskflow/contracts";
import { markStaleRuns, schema } from "@taskflow/core";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { z } from "zod";
import { fixtures } from "./support/fixtures.ts";
import { openEventStream } from "./support/sse-client.ts";
import { startTestApi, type TestApi } from "./support/test-api.ts";

let api: TestApi;
let fx: ReturnType<typeof fixtures>;
beforeAll(async () => {
  api = await startTestApi();
  fx = fixtures(api);
});
afterAll(() => api.close());

/** An organization: an owner, a member, a viewer, a project, and an agent that claimed a task there (its run). */
async function scene() {
  const tenant = api.newTenant();
  const owner = await api.signIn({ orgId: tenant, orgRole: "owner" });
  const member = await api.signIn({ orgId: tenant, orgRole: "member" });
  const viewer = await api.signIn({ orgId: tenant, orgRole: "member" });
  const project = await fx.createProject(owner.token, "Runs");
  await fx.addMember(owner.token, project.id, member.workerId, "member");
  await fx.addMember(owner.token, project.id, viewer.workerId, "viewer");
  const { agent, apiKey } = await fx.registerAgent(owner.token, `@runner-${tenant.slice(-6)}`);
  await fx.addMember(owner.token, project.id, agent.id);
  const task = (
    await api.call<Task>("POST", `/api/projects/${project.id}/tasks`, {
      token: member.token,
      body: { title: "Pick a database" },
    })
  ).body;
  const claimed = await api.call<Task>("POST", `/api/tasks/${task.id}/claim`, { token: apiKey.key });
  expect(claimed.status).toBe(200);
  const runs = await api.call<RunList>("GET", `/api/tasks/${task.id}/runs`, { token: member.token });
  const run = runs.body.items[0] as AgentRun;
  const post = (token: string, body: Record<string, unknown>, runId = run.id) =>
    api.call<RunWithActivity>("POST", `/api/runs/${runId}/activities`, { token, body });
  return { tenant, owner, member, viewer, project, agent, key: apiKey.key, task, run, post };
}

describe("agent runs", () => {
  it("a claim opens an active run; the agent thinks, acts and asks; a person answers; a response completes it", async () => {
    const s = await scene();
    expect(s.run).toMatchObject({
      state: "active",
      origin: "claim",
      agentId: s.agent.id,
      taskTitle: "Pick a database",
    });

    const thought = await s.post(s.key, {
      type: "thought",
      body: "Looking at the **options**",
      ephemeral: true,
    });
    expect(thought.status).toBe(201);
    expect(thought.body.activity).toMatchObject({
      seq: 1,
      type: "thought",
      ephemeral: true,
      authorId: s.agent.id,
    });
    const action = await s.post(s.key, {
      type: "action",
      tool: "search_docs",
      parameters: { query: "postgres vs sqlite" },
      result: "3 pages",
    });
    expect(action.body.activity.action).toEqual({
      tool: "search_docs",
      parameters: { query: "postgres vs sqlite" },
      result: "3 pages",
    });
    expect(action.body.run.state).toBe("active");
    const question = await s.post(s.key, {
      type: "elicitation",
      body: "Which database?",
      choices: [
        { value: "postgres", label: "PostgreSQL" },
        { value: "sqlite", label: "SQLite" },
      ],
      askedOfId: s.member.workerId,
    });
    expect(question.status).toBe(201);
    expect(question.body.run.state).toBe("awaiting_input");
    const questionId = question.body.activity.id;

    // Answers that do not fit are refused, naming the field.
    const notOffered = await s.post(s.member.token, {
      type: "prompt",
      answers: questionId,
      selected: ["mysql"],
    });
    expect(notOffered.status).toBe(422);
    expect(JSON.stringify(notOffered.body)).toContain("body.selected");
    const two = await s.post(s.member.token, {
      type: "prompt",
      answers: questionId,
      selected: ["postgres", "sqlite"],
    });
    expect(two.status).toBe(422);
    const words = await s.post(s.member.token, { type: "prompt", answers: questionId, body: "postgres" });
    expect(words.status).toBe(422);

    const answer = await s.post(s.member.token, {
      type: "prompt",
      answers: questionId,
      selected: ["postgres"],
      body: "It is what we run",
    });
    expect(answer.status).toBe(201);
    expect(answer.body.activity.answer).toEqual({ elicitationId: questionId, selected: ["postgres"] });
    expect(answer.body.run.state).toBe("pending");
    const again = await s.post(s.owner.token, { type: "prompt", answers: questionId, selected: ["sqlite"] });
    expect(again.status).toBe(409);

    const shown = await api.call<ActivityPage>("GET", `/api/runs/${s.run.id}/activities`, {
      token: s.viewer.token,
    });
    expect(shown.status).toBe(200);
    expect(shown.body.items.map((a) => a.type)).toEqual(["thought", "action", "elicitation", "prompt"]);
    expect(shown.body.items[2]?.elicitation?.answeredById).toBe(answer.body.activity.id);

    const done = await s.post(s.key, { type: "response", body: "Using PostgreSQL." });
    expect(done.body.run.state).toBe("completed");
    const late = await s.post(s.key, { type: "thought", body: "one more thing" });
    expect(late.status).toBe(409);

    const audit = await fx.auditRows(s.tenant);
    expect(audit.filter((row) => row.entityType === "run").map((row) => row.action)).toEqual([
      "run.opened",
      "run.thought",
      "run.action",
      "run.elicitation",
      "run.prompt",
      "run.response",
    ]);
    // The person asked was told (the inbox's notify), and the task's creator of the outcome.
    const told = await api.db
      .select()
      .from(schema.notifications)
      .where(eq(schema.notifications.runId, s.run.id));
    expect(told.map((n) => `${n.kind}:${n.recipientId === s.member.workerId}`).sort()).toEqual([
      "outcome:true",
      "question:true",
    ]);

    // A prompt opens the completed run again.
    const reopened = await s.post(s.member.token, { type: "prompt", body: "Also write the migration" });
    expect(reopened.status).toBe(201);
    expect(reopened.body.run.state).toBe("pending");
  });

  it("prompts are people's, the rest is the run's agent's; viewers and other tenants are refused", async () => {
    const s = await scene();
    expect((await s.post(s.key, { type: "prompt", body: "talking to myself" })).status).toBe(403);
    expect((await s.post(s.member.token, { type: "thought", body: "I think for the agent" })).status).toBe(
      403,
    );
    expect((await s.post(s.viewer.token, { type: "prompt", body: "hello" })).status).toBe(403);
    const other = await fx.registerAgent(s.owner.token, `@other-${s.tenant.slice(-6)}`);
    await fx.addMember(s.owner.token, s.project.id, other.agent.id);
    expect((await s.post(other.apiKey.key, { type: "thought", body: "not my run" })).status).toBe(403);
    const stranger = await api.signIn({ orgId: api.newTenant(), orgRole: "owner" });
    expect((await s.post(stranger.token, { type: "prompt", body: "hi" })).status).toBe(404);
    expect((await api.call("GET", `/api/runs/${s.run.id}`, { token: stranger.token })).status).toBe(404);
    expect(
      (await api.call("GET", `/api/runs/${s.run.id}/activities`, { token: stranger.token })).status,
    ).toBe(404);
    expect((await api.call("GET", `/api/tasks/${s.task.id}/runs`, { token: stranger.token })).status).toBe(
      404,
    );
    const runs = await api.call<RunList>("GET", `/api/agents/${s.agent.id}/runs`, { token: stranger.token });
    expect(runs.status).toBe(404);
    const rows = await api.db
      .select()
      .from(schema.runActivities)
      .where(eq(schema.runActivities.runId, s.run.id));
    expect(rows).toEqual([]);
  });

  it("refuses unsafe or oversized bodies naming the field, and keeps raw HTML as text", async () => {
    const s = await scene();
    const refused = [
      { type: "thought", body: "bell \u0007 rings" },
      { type: "thought", body: "escape \u001b[31m red" },
      { type: "thought", body: "abc\u202Edcba" },
      { type: "thought", body: "x".repeat(16_001) },
      { type: "thought", body: "   " },
      { type: "thought", body: "lone \ud800 surrogate" },
    ];
    for (const body of refused) {
      const res = await s.post(s.key, body);
      expect(res.status, JSON.stringify(body).slice(0, 60)).toBe(400);
      expect(JSON.stringify(res.body)).toContain("body.body");
    }
    const nul = await s.post(s.key, { type: "action", tool: "run", parameters: { cmd: "a\u0000b" } });
    expect(nul.status).toBe(400);
    expect(JSON.stringify(nul.body)).toContain("body.parameters");
    const badTool = await s.post(s.key, { type: "action", tool: "<script>" });
    expect(badTool.status).toBe(400);
    expect(JSON.stringify(badTool.body)).toContain("body.tool");
    const html = "<img src=x onerror=alert(1)> and <script>alert(2)</script>\n\ttabbed";
    const kept = await s.post(s.key, { type: "thought", body: html });
    expect(kept.status).toBe(201);
    expect(kept.body.activity.body).toBe(html);
    const rows = await api.db
      .select()
      .from(schema.runActivities)
      .where(eq(schema.runActivities.runId, s.run.id));
    expect(rows.map((row) => row.body)).toEqual([html]);
  });

  it("a stop is a prompt on the run: the heartbeat says stop and carries it; acknowledging ends the run stopped", async () => {
    const s = await scene();
    const stop = await api.call<Task>("POST", `/api/tasks/${s.task.id}/stop`, {
      token: s.member.token,
      body: { reason: "Wrong approach" },
    });
    expect(stop.status).toBe(200);
    const beat = await api.call<z.infer<typeof HeartbeatAnswer>>(
      "POST",
      `/api/tasks/${s.task.id}/heartbeat`,
      {
        token: s.key,
      },
    );
    expect(beat.body.action).toBe("stop");
    expect(beat.body.runId).toBe(s.run.id);
    expect(beat.body.prompts.map((p) => [p.signal, p.body])).toEqual([["stop", "Wrong approach"]]);
    const run = await api.call<AgentRun>("GET", `/api/runs/${s.run.id}`, { token: s.member.token });
    expect(run.body).toMatchObject({ state: "pending", stopRequested: true });
    const ack = await api.call<Task>("POST", `/api/tasks/${s.task.id}/stop/acknowledge`, {
      token: s.key,
      body: { note: "Stopped; nothing half-written" },
    });
    expect(ack.status).toBe(200);
    expect(ack.body.claim).toBeNull();
    const after = await api.call<ActivityPage>("GET", `/api/runs/${s.run.id}/activities`, {
      token: s.member.token,
    });
    expect(after.body.run).toMatchObject({ state: "stopped", stopRequested: false });
    expect(after.body.items.at(-1)).toMatchObject({
      type: "response",
      signal: "stop",
      body: "Stopped; nothing half-written",
    });
  });

  it("a stop prompted on the run sets the task's stop; the agent's response with the stop signal acknowledges both", async () => {
    const s = await scene();
    const nothing = await s.post(s.key, { type: "response", body: "Stopped", signal: "stop" });
    expect(nothing.status).toBe(409);
    const stop = await s.post(s.member.token, { type: "prompt", signal: "stop" });
    expect(stop.status).toBe(201);
    const task = await api.call<Task>("GET", `/api/tasks/${s.task.id}`, { token: s.member.token });
    expect(task.body.stop).toMatchObject({ requestedById: s.member.workerId, acknowledgedAt: null });
    const ack = await s.post(s.key, { type: "response", body: "Stopped", signal: "stop" });
    expect(ack.status).toBe(201);
    expect(ack.body.run.state).toBe("stopped");
    const released = await api.call<Task>("GET", `/api/tasks/${s.task.id}`, { token: s.member.token });
    expect(released.body.claim).toBeNull();
    expect(released.body.status).toBe("pending");
  });

  it("marks quiet runs stale (audited), leaves runs awaiting input alone, and the next activity sets the state again", async () => {
    const s = await scene();
    const waiting = await scene();
    await waiting.post(waiting.key, { type: "elicitation", body: "Which one?" });
    const marked = await markStaleRuns(api.db, 60, new Date(Date.now() + 120_000));
    expect(marked).toBeGreaterThanOrEqual(1);
    const stale = await api.call<AgentRun>("GET", `/api/runs/${s.run.id}`, { token: s.member.token });
    expect(stale.body.state).toBe("stale");
    const still = await api.call<AgentRun>("GET", `/api/runs/${waiting.run.id}`, {
      token: waiting.member.token,
    });
    expect(still.body.state).toBe("awaiting_input");
    const listed = await api.call<RunList>("GET", `/api/agents/${s.agent.id}/runs?state=stale`, {
      token: s.owner.token,
    });
    expect(listed.body.items.map((r) => r.id)).toEqual([s.run.id]);
    const audit = await fx.auditRows(s.tenant);
    expect(audit.some((row) => row.action === "run.stale" && row.actorType === "system")).toBe(true);
    const back = await s.post(s.key, { type: "thought", body: "back at it" });
    expect(back.body.run.state).toBe("active");
  });

  it("streams the run's activities live, and the stream ends when the watcher leaves the project", async () => {
    const s = await scene();
    await s.post(s.key, { type: "thought", body: "before the stream" });
    const stream = await openEventStream(`${api.baseUrl}/api/runs/${s.run.id}/events`, s.viewer.token);
    try {
      const replayed = await stream.waitFor(2);
      expect(replayed.map((e) => e.event)).toEqual(["run.opened", "run.thought"]);
      // Another task's run in the same project does not reach this stream.
      await api.call("POST", `/api/projects/${s.project.id}/tasks`, {
        token: s.member.token,
        body: { title: "Noise" },
      });
      await s.post(s.member.token, { type: "prompt", body: "Use PostgreSQL" });
      const live = await stream.waitFor(3);
      expect(live.map((e) => e.event)).toEqual(["run.opened", "run.thought", "run.prompt"]);
      const prompt = JSON.parse(live[2]?.data ?? "{}") as { after: { body: string; state: string } };
      expect(prompt.after).toMatchObject({ body: "Use PostgreSQL", state: "pending" });
      const removal = await api.call("DELETE", `/api/projects/${s.project.id}/members/${s.viewer.workerId}`, {
        token: s.owner.token,
      });
      expect(removal.status).toBe(204);
      const ended = await stream.waitFor(4);
      expect(ended.at(-1)?.event).toBe("access_ended");
    } finally {
      await stream.close();
    }
  });
});
