import { type Actor, claimNextQuery } from "@taskflow/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rawQuery } from "./support/raw-query.ts";
import { taskFixtures } from "./support/task-fixtures.ts";
import { startTestApi, type TestApi } from "./support/test-api.ts";

// Claim-next picks its task with one statement (packages/core claims/claim-next-statement.ts). With many tasks
// it must read the partial index tasks_claim_order_idx (pending tasks, in claim order) and stop at the first
// row it can lock, not read and sort every task: this asks PostgreSQL (and PGlite) how they plan the very
// statement the API sends.

let api: TestApi;
let fx: ReturnType<typeof taskFixtures>;
beforeAll(async () => {
  api = await startTestApi();
  fx = taskFixtures(api);
});
afterAll(() => api.close());

const query = (text: string, params: unknown[] = []) => rawQuery(api, text, params);

describe("claim-next's plan", () => {
  it("has the partial index of pending tasks in claim order", async () => {
    const [index] = await query("select indexdef from pg_indexes where indexname = 'tasks_claim_order_idx'");
    expect(String(index?.indexdef)).toMatch(
      /\(tenant_id, priority_rank DESC( NULLS FIRST)?, due_at, created_at, id\) WHERE \(status = 'pending'(::text)?\)/,
    );
  });

  it("reads that index in order over 4,000 tasks (half of them taken), without a sort or a scan of every task", async () => {
    const { orgId, owner, member, project } = await fx.team();
    await query(
      `insert into tasks (tenant_id, project_id, title, creator_id, status, priority_rank, due_at)
       select p.tenant_id, p.id, 'Task ' || g, $2, case when g % 2 = 0 then 'in_progress' else 'pending' end,
         1 + g % 4, case when g % 3 = 0 then now() + make_interval(days => g) end
       from projects p, generate_series(1, 4000) g where p.id = $1`,
      [project.id, owner.workerId],
    );
    await query("vacuum analyze tasks");
    const actor: Actor = {
      tenantId: orgId,
      workerId: member.workerId,
      type: "human",
      orgRole: "member",
      channel: "api",
      scopes: null,
    };
    const statement = claimNextQuery(actor, [project.id], { now: new Date(), seconds: 600 });
    const plan = (await query(`explain ${statement.text}`, statement.params))
      .map((row) => String(row["QUERY PLAN"]))
      .join("\n");
    expect(plan).toContain("tasks_claim_order_idx");
    // The pick is a limit over locked rows of the index scan: no sort of the candidates first.
    expect(plan).toMatch(/LockRows[\s\S]*Index Scan using tasks_claim_order_idx/);
    expect(plan).not.toMatch(/Sort Key: tasks\.priority_rank/);
    expect(plan).not.toMatch(/Seq Scan on tasks\b/);
  });
});
