// The raw-SQL ceiling of `npm run bench -w apps/api`: the statements the domain sends for the same
// operations, straight through pg from this process, so the difference is what the API itself costs.
import { TaskListQuery } from "@taskflow/contracts";
import { type Actor, taskListStatement } from "@taskflow/core";
import pg from "pg";
import { type LoadResult, runLoad } from "../../../bench/lib/load.ts";

export interface CeilingOptions {
  databaseUrl: string;
  projectId: string;
  tenant: string;
  /** The tasks the API's change-status run flips; the ceiling flips the same ones the same way. */
  seeded: string[];
  concurrency: number;
  seconds: number;
}

export const ceilingLabels = {
  list: "pg list (the API's one statement)",
  create: "pg create (authorize, insert, audit, read, 1 tx)",
  status: "pg change status (lock, authorize, update, audit, read)",
} as const;

export async function measureCeiling(options: CeilingOptions): Promise<(LoadResult & { note?: string })[]> {
  const { concurrency, seconds, projectId, tenant, seeded } = options;
  const perWorker = Math.floor(seeded.length / concurrency);
  const rows: (LoadResult & { note?: string })[] = [];
  // The ceiling: the statements the domain sends for the same operations (its authorization read, the
  // write, the audit row, the task read back), straight through pg and named as the API names them
  // (packages/db/src/named-statements.ts), so the difference is what the API itself costs.
  const pool = new pg.Pool({ connectionString: options.databaseUrl, max: concurrency });
  const { rows: ids } = await pool.query<{ worker: string }>(
    "select w.id as worker from workers w join project_members m on m.worker_id = w.id where m.project_id = $1 limit 1",
    [projectId],
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
      [projectId, workerId, tenant],
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
  // The statement GET …/tasks?status=pending&limit=50 sends, built by the same function (listTasks): the
  // caller's membership and a page and one more row.
  const actor: Actor = {
    tenantId: tenant,
    workerId,
    type: "human",
    orgRole: "admin",
    channel: "api",
    scopes: null,
  };
  const page = taskListStatement(actor, projectId, TaskListQuery.parse({ status: "pending", limit: "50" }));
  // The task read back after a write (loadTask, before the one-statement writes): with its workers and
  // dependencies, by id.
  const listSql = `select "tasks".*, "assignee"."id", "assignee"."kind", "assignee"."handle", "assignee"."name",
    "creator"."id", "creator"."kind", "creator"."handle", "creator"."name",
    coalesce((select array_agg(d.depends_on_id::text order by d.created_at)
      from task_dependencies d where d.task_id = "tasks"."id"), '{}'::text[]) as "depends_on",
    coalesce((select array_agg(d.depends_on_id::text order by d.created_at)
      from task_dependencies d join tasks dt on dt.id = d.depends_on_id
      where d.task_id = "tasks"."id" and dt.status <> 'completed'), '{}'::text[]) as "blocked_by"
    from "tasks" inner join "workers" "creator" on "creator"."id" = "tasks"."creator_id"
    left join "workers" "assignee" on "assignee"."id" = "tasks"."assignee_id"
    where "tasks"."project_id" = $1 and "tasks"."status" in ($2)`;
  /** loadTask: the task written, read back with its workers and dependencies for the answer. */
  const reloadSql = listSql.replace(`"tasks"."status" in ($2)`, `"tasks"."id" = $2`);
  const reload = (db: Queryable, id: string) => run(db, "bench_reload", reloadSql, [projectId, id]);
  rows.push({
    ...(await runLoad(ceilingLabels.list, { concurrency, seconds }, async () => {
      await run(pool, "bench_list", page.text, page.params);
    })),
    note: "ceiling",
  });
  rows.push({
    ...(await runLoad(ceilingLabels.create, { concurrency, seconds }, async (w, i) => {
      await inTransaction(async (client) => {
        await authorize(client);
        const { rows } = await run(
          client,
          "bench_insert_task",
          "insert into tasks (tenant_id, project_id, title, tags, creator_id) values ($1, $2, $3, $4, $5) returning *",
          [tenant, projectId, `Raw ${w}-${i}`, ["bench"], workerId],
        );
        await run(
          client,
          "bench_audit_created",
          `insert into audit_log (tenant_id, project_id, task_id, entity_type, entity_id, action, actor_id, actor_type, channel, after)
           values ($1, $2, $3, 'task', $6, 'task.created', $4, 'human', 'api', $5)`,
          [tenant, projectId, rows[0]?.id, workerId, JSON.stringify(rows[0]), rows[0]?.id],
        );
        await reload(client, rows[0]?.id);
      });
    })),
    note: "ceiling",
  });

  rows.push({
    ...(await runLoad(ceilingLabels.status, { concurrency, seconds }, async (w, i) => {
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
          [tenant, projectId, id, workerId, JSON.stringify(before[0]), JSON.stringify(after[0]), id],
        );
        await reload(client, id);
      });
    })),
    note: "ceiling",
  });
  await pool.end();
  return rows;
}
