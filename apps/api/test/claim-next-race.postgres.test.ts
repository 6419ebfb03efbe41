import type { AuditEntry, ClaimNextAnswer } from "@taskflow/contracts";
import { schema } from "@taskflow/core";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { z } from "zod";
import { fixtures } from "./support/fixtures.ts";
import { openEventStream } from "./support/sse-client.ts";
import { startTestApi, type TestApi } from "./support/test-api.ts";

/**
 * Twenty agents racing claim-next on the real PostgreSQL (its row locks and SKIP LOCKED, which PGlite's one
 * connection never exercises), each claiming until it is told there is nothing left: every claimable task
 * goes to exactly one agent, none twice, and the rules hold under the race (capabilities, assignment,
 * dependencies), with one audit row per claim and its event on a watcher's stream.
 */

type NextAnswer = z.infer<typeof ClaimNextAnswer>;

let api: TestApi;
let fx: ReturnType<typeof fixtures>;
beforeAll(async () => {
  api = await startTestApi();
  fx = fixtures(api);
});
afterAll(() => api.close());

const agentCount = 20;
const plain = 150;
const needGpu = 30;
const forLastAgent = 10;
const blocked = 10;

describe("claim-next with twenty agents racing", () => {
  it("gives every claimable task to exactly one agent, keeps the rules, audits and announces each claim", async () => {
    const tenant = api.newTenant();
    const owner = await api.signIn({ orgId: tenant, orgRole: "owner" });
    const project = await fx.createProject(owner.token, "Race");
    const agents: { id: string; key: string; gpu: boolean }[] = [];
    for (let i = 0; i < agentCount; i++) {
      const gpu = i < agentCount / 2;
      const { agent, apiKey } = await fx.registerAgent(owner.token, `@racer-${i}`, {
        capabilities: gpu ? ["gpu"] : [],
      });
      await fx.addMember(owner.token, project.id, agent.id);
      agents.push({ id: agent.id, key: apiKey.key, gpu });
    }
    const lastAgent = agents.at(-1) as (typeof agents)[number];
    const insert = (values: Partial<typeof schema.tasks.$inferInsert>) =>
      fx.insertTask(tenant, project.id, owner.workerId, values);
    const plainTasks = await Promise.all(
      Array.from({ length: plain }, (_, i) => insert({ title: `Plain ${i}` })),
    );
    const gpuTasks = await Promise.all(
      Array.from({ length: needGpu }, (_, i) =>
        insert({ title: `GPU ${i}`, requiredCapabilities: ["gpu"], priority: "high", priorityRank: 3 }),
      ),
    );
    const assigned = await Promise.all(
      Array.from({ length: forLastAgent }, (_, i) =>
        insert({ title: `Mine ${i}`, assigneeId: lastAgent.id }),
      ),
    );
    // A blocker no agent may take (a person's), and tasks waiting on it: none of them is ever claimed.
    const blocker = await insert({
      title: "Blocker",
      assigneeId: owner.workerId,
      priority: "critical",
      priorityRank: 4,
    });
    const waiting = await Promise.all(
      Array.from({ length: blocked }, (_, i) =>
        insert({ title: `Waiting ${i}`, priority: "critical", priorityRank: 4 }),
      ),
    );
    await api.db
      .insert(schema.taskDependencies)
      .values(waiting.map((task) => ({ taskId: task.id, dependsOnId: blocker.id, tenantId: tenant })));

    const stream = await openEventStream(`${api.baseUrl}/api/projects/${project.id}/events`, owner.token);
    const claims: { agent: (typeof agents)[number]; taskId: string }[] = [];
    const lastAnswers = await Promise.all(
      agents.map(async (agent) => {
        for (;;) {
          const answer = await api.call<NextAnswer>("POST", "/api/tasks/claim-next", {
            token: agent.key,
            body: { projectId: project.id },
          });
          expect(answer.status, JSON.stringify(answer.body)).toBe(200);
          if (answer.body.task === null) return answer.body;
          expect(answer.body.task.claim?.holderId).toBe(agent.id);
          expect(answer.body.task.status).toBe("in_progress");
          claims.push({ agent, taskId: answer.body.task.id });
        }
      }),
    );

    // Every loser learned there is nothing left to claim, and nothing is.
    expect(lastAnswers).toEqual(Array.from({ length: agentCount }, () => ({ task: null })));
    const claimable = [...plainTasks, ...gpuTasks, ...assigned];
    expect(claims).toHaveLength(claimable.length);
    expect(new Set(claims.map((c) => c.taskId))).toEqual(new Set(claimable.map((t) => t.id)));
    const winner = new Map(claims.map((c) => [c.taskId, c.agent]));
    for (const task of gpuTasks) expect(winner.get(task.id)?.gpu).toBe(true);
    for (const task of assigned) expect(winner.get(task.id)?.id).toBe(lastAgent.id);

    // The rows say the same: each held by its winner, in progress; the blocker and what waits on it untouched.
    const rows = await api.db.select().from(schema.tasks).where(eq(schema.tasks.projectId, project.id));
    for (const row of rows) {
      const agent = winner.get(row.id);
      if (agent) {
        expect(row).toMatchObject({
          status: "in_progress",
          claimedById: agent.id,
          assigneeId: agent.id,
          version: 2,
        });
      } else {
        expect(row).toMatchObject({ status: "pending", claimedById: null, version: 1 });
      }
    }
    expect(rows.filter((row) => !winner.has(row.id))).toHaveLength(1 + blocked);

    // One task.claimed audit row and one run opened per claim, by the winner.
    const audits = await api.db
      .select()
      .from(schema.auditLog)
      .where(and(eq(schema.auditLog.tenantId, tenant), eq(schema.auditLog.action, "task.claimed")));
    expect(audits).toHaveLength(claimable.length);
    for (const audit of audits) expect(audit.actorId).toBe(winner.get(audit.taskId as string)?.id);
    const runs = await api.db
      .select()
      .from(schema.agentRuns)
      .where(eq(schema.agentRuns.projectId, project.id));
    expect(runs).toHaveLength(claimable.length);
    for (const run of runs)
      expect(run).toMatchObject({ agentId: winner.get(run.taskId)?.id, state: "active" });

    // A watcher of the project saw each claim once.
    const deadline = Date.now() + 20_000;
    const claimedEvents = () => stream.events.filter((event) => event.event === "task.claimed");
    while (claimedEvents().length < claimable.length && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await stream.close();
    const announced = claimedEvents().map((event) => (JSON.parse(event.data) as AuditEntry).taskId);
    expect(announced).toHaveLength(claimable.length);
    expect(new Set(announced)).toEqual(new Set(claimable.map((t) => t.id)));
  });
});
