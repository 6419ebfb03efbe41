// `npm run bench:search -w apps/api`: a project's task search (`GET /api/projects/{id}/tasks?q=`) over 100,000
// tasks of one project, through the API as its own process on a real PostgreSQL, with the trigram indexes of
// migration 0013 and then, in the same run and on the same data, without them (dropped, then restored), with
// each search's query plan. Needs BENCH_DATABASE_URL or TEST_DATABASE_URL.
//
// Titles and descriptions are sentences from a vocabulary of 400 words. Four searches: a word in 1 task in 10,000
// (rare), a word in 1 task in 10 (common), text in no task at all (the worst case of a scan: every row read and
// none kept), and a two-letter search (too short for a trigram: the index cannot narrow it).
import { randomUUID } from "node:crypto";
import pg from "pg";
import { say, startBenchStack } from "../../../bench/lib/bench-stack.ts";
import { type LoadResult, printTable, runLoad } from "../../../bench/lib/load.ts";

const total = Number(process.env.BENCH_TASKS ?? 100_000);
const seconds = Number(process.env.BENCH_SECONDS ?? 5);
const concurrency = Number(process.env.BENCH_CONNECTIONS ?? 10);

const stack = await startBenchStack();
const tenant = `org-bench-${randomUUID()}`;
// One caller per connection, as the production rate limit (per caller) counts each apart: org admins, who
// read every project of their organization.
const tokens = await Promise.all(
  Array.from({ length: concurrency }, (_, i) =>
    stack.issuer.mint({ orgId: tenant, orgRole: "admin", sub: `search-bench-${i}`, expiresIn: "2h" }),
  ),
);
const token = tokens[0] as string;
const me = await stack.call<{ id: string }>(token, "GET", "/api/workers/me");
const project = await stack.call<{ id: string }>(token, "POST", "/api/projects", { name: "Search bench" });
const client = new pg.Client({ connectionString: stack.databaseUrl });
await client.connect();

say(`seeding ${total.toLocaleString("en")} tasks in one project`);
// Words w0…w399; every task gets 6 of them in its title and 30 in its description. "needle" is in every
// 10,000th task's description, "common" in every 10th task's title.
await client.query(
  `insert into tasks (tenant_id, project_id, title, description, creator_id, created_at)
   select $1, $2,
     (select string_agg('w' || ((g * 7 + i * 13) % 400), ' ') from generate_series(1, 6) i)
       || case when g % 10 = 0 then ' common' else '' end,
     (select string_agg('w' || ((g * 11 + i * 17) % 400), ' ') from generate_series(1, 30) i)
       || case when g % 10000 = 0 then ' needle' else '' end,
     $3, now() - (g || ' seconds')::interval
   from generate_series(1, $4) g`,
  [tenant, project.id, me.id, total],
);
await client.query("vacuum (analyze) tasks");

const searches = [
  { label: "rare word (1 in 10,000)", q: "needle" },
  { label: "common word (1 in 10)", q: "common" },
  { label: "no match", q: "zebra crossing" },
  { label: "two letters (no trigram)", q: "w3" },
];

// The statement the API sends for a search (list-tasks.ts: the default sort, newest first, a page of 50).
const searchSql = `select "tasks"."id" from "tasks"
  where "tasks"."project_id" = $1 and ("tasks"."title" ilike $3 or "tasks"."description" ilike $3)
  order by "tasks"."created_at" desc, "tasks"."id" desc limit $2`;

async function plans(label: string): Promise<void> {
  for (const search of searches.slice(0, 3)) {
    const plan = await client.query(`explain (analyze, buffers, costs off) ${searchSql}`, [
      project.id,
      51,
      `%${search.q}%`,
    ]);
    say(`\nplan ${label}, ${search.label}:\n${plan.rows.map((r) => `  ${r["QUERY PLAN"]}`).join("\n")}`);
  }
}

async function round(label: string): Promise<LoadResult[]> {
  const rows: LoadResult[] = [];
  for (const search of searches) {
    const found = await stack.call<{ items: unknown[] }>(
      token,
      "GET",
      `/api/projects/${project.id}/tasks?q=${encodeURIComponent(search.q)}`,
    );
    const result = await runLoad(
      `${label}, ${search.label}: ${found.items.length} found`,
      { concurrency, seconds },
      async (worker) => {
        await stack.call(
          tokens[worker] as string,
          "GET",
          `/api/projects/${project.id}/tasks?q=${encodeURIComponent(search.q)}`,
        );
      },
    );
    rows.push(result);
  }
  return rows;
}

/**
 * The API sends its search as a named prepared statement (packages/db named-statements.ts), and PostgreSQL may
 * move such a statement to one generic plan after five executions, planned without knowing the text searched.
 * This shows the plan a connection settles on after many searches: the rare word's must still read the index.
 */
async function preparedPlan(): Promise<void> {
  await client.query(`prepare bench_search (uuid, int, text) as ${searchSql}`);
  for (let i = 0; i < 10; i++) {
    // EXECUTE takes no bound values: the literals are this bench's own (a uuid and the fixed searches).
    await client.query(`execute bench_search ('${project.id}', 51, '%${searches[i % 3]?.q}%')`);
  }
  const plan = await client.query(
    `explain (analyze, costs off) execute bench_search ('${project.id}', 51, '%needle%')`,
  );
  say(`
plan of the prepared search after 10 executions, rare word:
${plan.rows.map((r) => `  ${r["QUERY PLAN"]}`).join("\n")}`);
  await client.query("deallocate bench_search");
}

await plans("with the trigram indexes");
await preparedPlan();
const indexed = await round("indexed");

say("\ndropping the trigram indexes for the comparison rows");
await client.query("drop index tasks_title_trgm_idx, tasks_description_trgm_idx");
await client.query("analyze tasks");
await plans("without them (each task read)");
const scanned = await round("no index (not as users run it)");

say("\nrestoring the trigram indexes");
await client.query(`create index tasks_title_trgm_idx on tasks using gin (title gin_trgm_ops)`);
await client.query(`create index tasks_description_trgm_idx on tasks using gin (description gin_trgm_ops)`);

printTable(
  `Task search over ${total.toLocaleString("en")} tasks of one project, ${concurrency} connections, PostgreSQL ${stack.serverVersion}`,
  [...indexed, ...scanned],
);
await client.end();
await stack.stop();
