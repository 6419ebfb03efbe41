// `npm run bench -w apps/api`: the API under 50 concurrent clients with real tokens, on a real
// PostgreSQL, next to the same SQL statements sent straight through `pg` (the ceiling).
// Needs BENCH_DATABASE_URL or TEST_DATABASE_URL (a server where it may create a database).
import { randomUUID } from "node:crypto";
import pg from "pg";
import { say, startBenchStack } from "../../../bench/lib/bench-stack.ts";
import { type LoadResult, printTable, runLoad, runTimes } from "../../../bench/lib/load.ts";
import { processMemory } from "../../../bench/lib/process-memory.ts";

const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 50);
const seconds = Number(process.env.BENCH_SECONDS ?? 10);

const stack = await startBenchStack();
const tenant = `org-bench-${randomUUID()}`;
const tokens = await Promise.all(
  Array.from({ length: concurrency }, (_, i) =>
    stack.issuer.mint({ orgId: tenant, orgRole: "admin", sub: `bench-${i}` }),
  ),
);
const token = (w: number) => tokens[w % tokens.length] as string;

// Every user's first request creates their worker; do it before measuring.
await Promise.all(tokens.map((t) => stack.call(t, "GET", "/api/workers/me")));
const project = await stack.call<{ id: string }>(token(0), "POST", "/api/projects", { name: "Bench" });
say("seeding 2,000 tasks");
const seeded: string[] = [];
await runTimes(2000, 20, async (i) => {
  const task = await stack.call<{ id: string }>(token(0), "POST", `/api/projects/${project.id}/tasks`, {
    title: `Seeded ${i}`,
  });
  seeded.push(task.id);
});

// A long-running database has statistics; a table filled a second ago does not, and the planner then
// guesses. Measure the steady state.
{
  const analyze = new pg.Client({ connectionString: stack.databaseUrl });
  await analyze.connect();
  await analyze.query("analyze");
  await analyze.end();
}

const results: (LoadResult & { note?: string })[] = [];
const memory: string[] = [];
const sample = (label: string) => {
  const m = processMemory(stack.api.child.pid as number);
  memory.push(`${label}: rss ${m.currentMiB.toFixed(0)} MiB, peak ${m.peakMiB.toFixed(0)} MiB`);
};

results.push(
  await runLoad("API list tasks (status filter, 50/page)", { concurrency, seconds }, async (w) => {
    await stack.call(token(w), "GET", `/api/projects/${project.id}/tasks?status=pending&limit=50`);
  }),
);
sample("after list");
results.push(
  await runLoad("API create task", { concurrency, seconds }, async (w, i) => {
    await stack.call(token(w), "POST", `/api/projects/${project.id}/tasks`, {
      title: `Load ${w}-${i}`,
      tags: ["bench"],
    });
  }),
);
sample("after create");
const perWorker = Math.floor(seeded.length / concurrency);
results.push(
  await runLoad("API change status", { concurrency, seconds }, async (w, i) => {
    const id = seeded[w * perWorker + (Math.floor(i / 2) % perWorker)] as string;
    await stack.call(token(w), "PATCH", `/api/tasks/${id}/status`, {
      status: i % 2 === 0 ? "blocked" : "pending",
    });
  }),
);
sample("after status");

// The ceiling: the statements the domain sends for the same operations (its authorization read, the
// write, the audit row, the task read back), straight through pg and named as the API names them
// (packages/db/src/named-statements.ts), so the difference is what the API itself costs.
const pool = new pg.Pool({ connectionString: stack.databaseUrl, max: concurrency });
const { rows: ids } = await pool.query<{ worker: string }>(
  "select w.id as worker from workers w join project_members m on m.worker_id = w.id where m.project_id = $1 limit 1",
  [project.id],
);
const workerId = ids[0]?.worker as string;
type Queryable = Pick<pg.Pool, "query">;
/** A named statement, as the API sends every parameterised query. */
const run = (db: Queryable, name: string, text: string, values: unknown[]) =>
  db.query({ name, text, values });
/** authorizeProject's read: the project and the caller's membership in one statement. */
const authorize = (db: Queryable) =>
  run(
    db,
    "bench_authorize",
    `select projects.*, project_members.role from projects
     left join project_members on project_members.project_id = projects.id and project_members.worker_id = $2
     where projects.id = $1 and projects.tenant_id = $3`,
    [project.id, workerId, tenant],
  );
/** One transaction on a pooled client, as the domain runs each mutation; a failure rolls back. */
async function inTransaction(work: (client: pg.PoolClient) => Promise<void>): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query("begin");
    await work(client);
    await client.query("commit");
  } catch (error) {
    await client.query("rollback");
    throw error;
  } finally {
    client.release();
  }
}
// The statement listTasks sends (drizzle's text, captured once): tasks with assignee, creator and
// dependencies, one status, newest first, a page and one more row.
const listSql = `select "tasks".*, "assignee"."id", "assignee"."kind", "assignee"."handle", "assignee"."name",
  "creator"."id", "creator"."kind", "creator"."handle", "creator"."name",
  coalesce((select array_agg(d.depends_on_id::text order by d.created_at)
    from task_dependencies d where d.task_id = "tasks"."id"), '{}'::text[]) as "depends_on",
  coalesce((select array_agg(d.depends_on_id::text order by d.created_at)
    from task_dependencies d join tasks dt on dt.id = d.depends_on_id
    where d.task_id = "tasks"."id" and dt.status <> 'completed'), '{}'::text[]) as "blocked_by",
  json_build_array("tasks"."created_at"::text, "tasks"."id"::text) as "sort_key"
  from "tasks" inner join "workers" "creator" on "creator"."id" = "tasks"."creator_id"
  left join "workers" "assignee" on "assignee"."id" = "tasks"."assignee_id"
  where "tasks"."project_id" = $1 and "tasks"."status" in ($2)
  order by "tasks"."created_at" desc, "tasks"."id" desc limit 51`;
/** loadTask: the task written, read back with its workers and dependencies for the answer. */
const reloadSql = listSql
  .replace(`"tasks"."status" in ($2)`, `"tasks"."id" = $2`)
  .replace(/order by "tasks"[\s\S]*$/, "");
const reload = (db: Queryable, id: string) => run(db, "bench_reload", reloadSql, [project.id, id]);
results.push({
  ...(await runLoad("pg list (authorize + list)", { concurrency, seconds }, async () => {
    await authorize(pool);
    await run(pool, "bench_list", listSql, [project.id, "pending"]);
  })),
  note: "ceiling",
});
results.push({
  ...(await runLoad(
    "pg create (authorize, insert, audit, read, 1 tx)",
    { concurrency, seconds },
    async (w, i) => {
      await inTransaction(async (client) => {
        await authorize(client);
        const { rows } = await run(
          client,
          "bench_insert_task",
          "insert into tasks (tenant_id, project_id, title, tags, creator_id) values ($1, $2, $3, $4, $5) returning *",
          [tenant, project.id, `Raw ${w}-${i}`, ["bench"], workerId],
        );
        await run(
          client,
          "bench_audit_created",
          `insert into audit_log (tenant_id, project_id, task_id, entity_type, entity_id, action, actor_id, actor_type, channel, after)
         values ($1, $2, $3, 'task', $6, 'task.created', $4, 'human', 'api', $5)`,
          [tenant, project.id, rows[0]?.id, workerId, JSON.stringify(rows[0]), rows[0]?.id],
        );
        await reload(client, rows[0]?.id);
      });
    },
  )),
  note: "ceiling",
});

results.push({
  ...(await runLoad(
    "pg change status (lock, authorize, update, audit, read)",
    { concurrency, seconds },
    async (w, i) => {
      // The same tasks and moves as the API run above: each client flips its own slice of tasks.
      const id = seeded[w * perWorker + (Math.floor(i / 2) % perWorker)] as string;
      await inTransaction(async (client) => {
        // The domain locks the row and keeps it as the audit row's `before`.
        const { rows: before } = await run(
          client,
          "bench_lock",
          "select * from tasks where id = $1 for update",
          [id],
        );
        await authorize(client);
        const { rows: after } = await run(
          client,
          "bench_update_status",
          "update tasks set status = $2, version = version + 1, updated_at = now() where id = $1 returning *",
          [id, i % 2 === 0 ? "blocked" : "pending"],
        );
        await run(
          client,
          "bench_audit_status",
          `insert into audit_log (tenant_id, project_id, task_id, entity_type, entity_id, action, actor_id, actor_type, channel, before, after)
         values ($1, $2, $3, 'task', $7, 'task.status_changed', $4, 'human', 'api', $5, $6)`,
          // `id` twice: task_id is a uuid, entity_id text, and one parameter cannot be both.
          [tenant, project.id, id, workerId, JSON.stringify(before[0]), JSON.stringify(after[0]), id],
        );
        await reload(client, id);
      });
    },
  )),
  note: "ceiling",
});

printTable(
  `TaskFlow API, ${concurrency} concurrent clients, ${seconds}s each, PostgreSQL ${stack.serverVersion}`,
  results,
);
for (const m of memory) say(`API process memory ${m}`);
const ratio = (apiLabel: string, rawLabel: string) => {
  const a = results.find((r) => r.label === apiLabel);
  const b = results.find((r) => r.label === rawLabel);
  return a && b ? `${((a.perSecond / b.perSecond) * 100).toFixed(0)}% of the raw-SQL ceiling` : "n/a";
};
say(`list: ${ratio("API list tasks (status filter, 50/page)", "pg list (authorize + list)")}`);
say(`create: ${ratio("API create task", "pg create (authorize, insert, audit, read, 1 tx)")}`);
say(
  `change status: ${ratio("API change status", "pg change status (lock, authorize, update, audit, read)")}`,
);
await pool.end();
await stack.stop();
