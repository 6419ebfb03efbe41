import type { ClaimNextAnswer, Task } from "@taskflow/contracts";
import { schema } from "@taskflow/core";
import { and, asc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { z } from "zod";
import { fixtures } from "./support/fixtures.ts";
import { startTestApi, type TestApi } from "./support/test-api.ts";

// Claim-next writes its audit rows and opens the agent's run inside its one statement (packages/core
// claims/claim-next-statement.ts), not through recordAudit and openRun: these tests hold it to what those write.

type NextAnswer = z.infer<typeof ClaimNextAnswer>;

let api: TestApi;
let fx: ReturnType<typeof fixtures>;
beforeAll(async () => {
  api = await startTestApi();
  fx = fixtures(api);
});
afterAll(() => api.close());

/** A task row as recordAudit stores a row Drizzle read. */
async function rowAsAudited(taskId: string): Promise<unknown> {
  const [row] = await api.db.select().from(schema.tasks).where(eq(schema.tasks.id, taskId));
  return JSON.parse(JSON.stringify(row));
}

async function auditOf(taskId: string) {
  return api.db
    .select()
    .from(schema.auditLog)
    .where(eq(schema.auditLog.taskId, taskId))
    .orderBy(asc(schema.auditLog.id));
}

async function team() {
  const tenant = api.newTenant();
  const owner = await api.signIn({ orgId: tenant, orgRole: "owner" });
  const project = await fx.createProject(owner.token, "Audited claims");
  const agent = async (handle: string) => {
    const { agent, apiKey } = await fx.registerAgent(owner.token, handle);
    await fx.addMember(owner.token, project.id, agent.id);
    return { id: agent.id, key: apiKey.key };
  };
  const claimNext = async (token: string) => {
    const answer = await api.call<NextAnswer>("POST", "/api/tasks/claim-next", {
      token,
      body: { projectId: project.id },
    });
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    return answer.body.task;
  };
  return { owner, project, agent, claimNext };
}

describe("claim-next's audit rows and runs", () => {
  it("audits the task rows before and after exactly as recordAudit would, then the run it opened", async () => {
    const t = await team();
    const ada = await t.agent("@ada");
    const created = await api.call<Task>("POST", `/api/projects/${t.project.id}/tasks`, {
      token: t.owner.token,
      body: { title: "Audited", tags: ["a", "b"], dueAt: "2031-05-06T07:08:09.123Z", priority: "high" },
    });
    expect(created.status).toBe(201);
    const before = await rowAsAudited(created.body.id);

    const claimed = await t.claimNext(ada.key);
    expect(claimed?.id).toBe(created.body.id);
    const after = await rowAsAudited(created.body.id);
    const [, claim, opened, ...rest] = await auditOf(created.body.id);
    expect(rest).toEqual([]);
    expect(claim).toMatchObject({
      action: "task.claimed",
      entityType: "task",
      entityId: created.body.id,
      projectId: t.project.id,
      actorId: ada.id,
      actorType: "agent",
      channel: "api",
      fromStatus: "pending",
      toStatus: "in_progress",
    });
    expect(claim?.before).toEqual(before);
    expect(claim?.after).toEqual(after);
    const [run] = await api.db
      .select()
      .from(schema.agentRuns)
      .where(eq(schema.agentRuns.taskId, created.body.id));
    expect(run).toMatchObject({ agentId: ada.id, state: "active", origin: "claim", openedById: ada.id });
    expect(opened).toMatchObject({
      action: "run.opened",
      entityType: "run",
      entityId: run?.id,
      actorId: ada.id,
    });
    expect(opened?.after).toEqual({ runId: run?.id, agentId: ada.id, origin: "claim", state: "active" });
    // The answer is the task as every read returns it.
    const read = await api.call<Task>("GET", `/api/tasks/${created.body.id}`, { token: t.owner.token });
    expect(read.body).toEqual({ ...claimed, subtasks: [] });
  });

  it("takes up the run an assignment opened and keeps an agent's delegation link; a person's claim clears it", async () => {
    const t = await team();
    const lead = await t.agent("@lead");
    const helper = await t.agent("@helper");
    // The lead's own (so the person's claim-next below cannot take it).
    const parent = await api.call<Task>("POST", `/api/projects/${t.project.id}/tasks`, {
      token: t.owner.token,
      body: { title: "Parent", assigneeId: lead.id },
    });
    const subtask = async (assigneeId: string) => {
      const created = await api.call<Task>("POST", `/api/tasks/${parent.body.id}/subtasks`, {
        token: lead.key,
        body: { title: "Delegated", assigneeId },
      });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      expect(created.body.delegatedById).toBe(lead.id);
      return created.body;
    };
    const forHelper = await subtask(helper.id);
    const [pending] = await api.db
      .select()
      .from(schema.agentRuns)
      .where(and(eq(schema.agentRuns.taskId, forHelper.id), eq(schema.agentRuns.agentId, helper.id)));
    expect(pending).toMatchObject({ state: "pending", origin: "assign" });

    const claimed = await t.claimNext(helper.key);
    expect(claimed).toMatchObject({ id: forHelper.id, delegatedById: lead.id, status: "in_progress" });
    const runs = await api.db
      .select()
      .from(schema.agentRuns)
      .where(eq(schema.agentRuns.taskId, forHelper.id));
    expect(runs).toEqual([expect.objectContaining({ id: pending?.id, state: "active" })]);
    const trail = (await auditOf(forHelper.id)).map((row) => row.action);
    expect(trail.slice(-2)).toEqual(["task.claimed", "run.taken_up"]);
    const [takenUp] = (await auditOf(forHelper.id)).slice(-1);
    expect(takenUp?.before).toEqual({ state: "pending" });
    expect(takenUp?.after).toEqual({ runId: pending?.id, state: "active" });

    // A person who takes a delegated subtask re-plans it: no link afterwards, and no run (people have none).
    const forOwner = await subtask(t.owner.workerId);
    const mine = await t.claimNext(t.owner.token);
    expect(mine).toMatchObject({ id: forOwner.id, delegatedById: null, status: "in_progress" });
    expect(
      await api.db.select().from(schema.agentRuns).where(eq(schema.agentRuns.taskId, forOwner.id)),
    ).toEqual([]);
    expect((await auditOf(forOwner.id)).at(-1)).toMatchObject({ action: "task.claimed", actorType: "human" });
  });
});
