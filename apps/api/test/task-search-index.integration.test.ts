import { TaskListQuery } from "@taskflow/contracts";
import { type Actor, taskListStatement } from "@taskflow/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rawQuery } from "./support/raw-query.ts";
import { taskFixtures } from "./support/task-fixtures.ts";
import { startTestApi, type TestApi } from "./support/test-api.ts";

// A search (`q`) used to read every task of the project. Migration 0013 adds trigram indexes on the title and
// the description; these tests ask PostgreSQL (and PGlite) how they plan the very statement the API sends.

let api: TestApi;
let fx: ReturnType<typeof taskFixtures>;
beforeAll(async () => {
  api = await startTestApi();
  fx = taskFixtures(api);
});
afterAll(() => api.close());

const query = (text: string, params: unknown[] = []) => rawQuery(api, text, params);

describe("task search", () => {
  it("has pg_trgm and a trigram index on the title and on the description", async () => {
    const extensions = await query("select extname from pg_extension where extname = 'pg_trgm'");
    expect(extensions).toHaveLength(1);
    const indexes = await query(
      "select indexname, indexdef from pg_indexes where tablename = 'tasks' and indexname like '%trgm%' order by 1",
    );
    expect(indexes.map((i) => i.indexname)).toEqual(["tasks_description_trgm_idx", "tasks_title_trgm_idx"]);
    for (const index of indexes) expect(String(index.indexdef)).toMatch(/USING gin \(\w+ gin_trgm_ops\)/);
  });

  it("plans a rare word's search over 2,000 tasks through both trigram indexes, not through every task", async () => {
    const { orgId, owner, project } = await fx.team();
    await query(
      `insert into tasks (tenant_id, project_id, title, description, creator_id)
       select p.tenant_id, p.id, 'Routine task ' || g, 'Nothing to see in task ' || g
         || case when g % 500 = 0 then ' except a needle' else '' end, $2
       from projects p, generate_series(1, 2000) g where p.id = $1`,
      [project.id, owner.workerId],
    );
    // As autovacuum leaves a table: a GIN index's pending list of fresh entries merged, statistics read.
    await query("vacuum analyze tasks");
    const actor: Actor = {
      tenantId: orgId,
      workerId: owner.workerId,
      type: "human",
      orgRole: "member",
      channel: "api",
      scopes: null,
    };
    const statement = taskListStatement(actor, project.id, TaskListQuery.parse({ q: "needle" }));
    const plan = (await query(`explain ${statement.text}`, statement.params))
      .map((row) => String(row["QUERY PLAN"]))
      .join("\n");
    expect(plan).toContain("tasks_title_trgm_idx");
    expect(plan).toContain("tasks_description_trgm_idx");
    expect(plan).not.toMatch(/Seq Scan on tasks\b/);

    // And the API finds exactly those tasks, the search's text still matched literally and in any case.
    const found = await api.call<{ items: { title: string }[] }>(
      "GET",
      `/api/projects/${project.id}/tasks?q=NEEDLE`,
      { token: owner.token },
    );
    expect(found.body.items.map((t) => t.title).sort()).toEqual([
      "Routine task 1000",
      "Routine task 1500",
      "Routine task 2000",
      "Routine task 500",
    ]);
  });
});
