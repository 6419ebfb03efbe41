// `npm run bench:inbox -w apps/api`: the inbox's unread count (and first page) for a person with 100,000
// notifications, through the API as its own process on a real PostgreSQL, next to the same statement straight
// through `pg`, with the statement's query plan. Needs BENCH_DATABASE_URL or TEST_DATABASE_URL.
//
// The person is a member of 20 projects and has left 5 (their notifications there must not count: the membership
// semi-join is part of every count). 20 % of their notifications are unread, spread over the 8 kinds. 100 other
// people have 100,000 notifications between them, interleaved with the person's, so the indexes are shared as
// they are in a real tenant.
import { randomUUID } from "node:crypto";
import pg from "pg";
import { say, startBenchStack } from "../../../bench/lib/bench-stack.ts";
import { printTable, runLoad } from "../../../bench/lib/load.ts";

const total = Number(process.env.BENCH_NOTIFICATIONS ?? 100_000);
const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const unreadShare = 0.2;

const stack = await startBenchStack();
const tenant = `org-bench-${randomUUID()}`;
const token = await stack.issuer.mint({ orgId: tenant, orgRole: "member", sub: "inbox-bench-person" });
const me = await stack.call<{ id: string }>(token, "GET", "/api/workers/me");
const client = new pg.Client({ connectionString: stack.databaseUrl });
await client.connect();

say(
  `seeding: 25 projects (a member of 20), ${total.toLocaleString("en")} notifications of the person, as many of 100 others`,
);
const projects: string[] = [];
for (let i = 0; i < 25; i++) {
  const { rows } = await client.query<{ id: string }>(
    "insert into projects (tenant_id, slug, name, owner_id) values ($1, $2, $3, $4) returning id",
    [tenant, `inbox-${i}`, `Inbox ${i}`, me.id],
  );
  const id = rows[0]?.id as string;
  projects.push(id);
  if (i < 20) {
    await client.query(
      "insert into project_members (project_id, worker_id, role) values ($1, $2, 'member')",
      [id, me.id],
    );
  }
}
const { rows: others } = await client.query<{ id: string }>(
  `insert into workers (tenant_id, kind, user_id, handle, name)
   select $1, 'human', 'other-' || g, '@other-' || g, 'Other ' || g from generate_series(1, 100) g returning id`,
  [tenant],
);
const kinds = [
  "assigned",
  "review_requested",
  "question",
  "outcome",
  "mention",
  "stop_acknowledged",
  "due_soon",
  "overdue",
];
// One insert, interleaved as a real inbox is: every other notification is the person's, the rest the others'.
await client.query(
  `insert into notifications (tenant_id, recipient_id, project_id, kind, title, read_at, created_at, email_state)
   select $1, case when g % 2 = 0 then $2::uuid else ($3::uuid[])[1 + g % 100] end, ($4::uuid[])[1 + (g / 2) % 25],
     ($5::text[])[1 + (g / 2) % 8], 'Notification ' || g,
     case when random() < $6 then null else now() end,
     now() - ((2 * $7 - g) || ' seconds')::interval, 'sent'
   from generate_series(1, 2 * $7) g`,
  [tenant, me.id, others.map((o) => o.id), projects, kinds, unreadShare, total],
);
await client.query("analyze");
await client.query("vacuum (analyze) notifications");

const count = await stack.call<{ unread: number; byKind: Record<string, number> }>(
  token,
  "GET",
  "/api/notifications/unread-count",
);
const { rows: truth } = await client.query<{ n: number }>(
  `select count(*)::int as n from notifications n join project_members m
     on m.project_id = n.project_id and m.worker_id = n.recipient_id
   where n.recipient_id = $1 and n.read_at is null`,
  [me.id],
);
say(
  `unread: ${count.unread.toLocaleString("en")} (checked: ${truth[0]?.n.toLocaleString("en")}), by kind ${JSON.stringify(count.byKind)}`,
);
if (count.unread !== truth[0]?.n) throw new Error("the API's count differs from the database's");

// The statement unreadCount sends (countUnread: the person's unread rows grouped by project and kind, then the
// groups of projects they are a member of), named as the API names its statements.
const countSql = `select "kind", sum("n")::int from (select "project_id", "kind", count(*) as "n" from "notifications"
    where ("notifications"."recipient_id" = $1 and "notifications"."read_at" is null)
    group by "notifications"."project_id", "notifications"."kind") "per_project"
  where "per_project"."project_id" in (select "project_members"."project_id" from "project_members"
    where "project_members"."worker_id" = $2)
  group by "per_project"."kind"`;
const plan = await client.query(`explain (analyze, buffers, costs off) ${countSql}`, [me.id, me.id]);
process.stdout.write(
  `\nquery plan of the unread count:\n${plan.rows.map((r) => `  ${r["QUERY PLAN"]}`).join("\n")}\n`,
);

const pool = new pg.Pool({ connectionString: stack.databaseUrl, max: 10 });
const results = [
  await runLoad("API unread count, 1 client", { concurrency: 1, seconds }, async () => {
    await stack.call(token, "GET", "/api/notifications/unread-count");
  }),
  await runLoad("API unread count, 10 clients", { concurrency: 10, seconds }, async () => {
    await stack.call(token, "GET", "/api/notifications/unread-count");
  }),
  await runLoad("API inbox first page (30), 1 client", { concurrency: 1, seconds }, async () => {
    await stack.call(token, "GET", "/api/notifications?limit=30");
  }),
  await runLoad("API inbox unread page (30), 1 client", { concurrency: 1, seconds }, async () => {
    await stack.call(token, "GET", "/api/notifications?limit=30&unread=true");
  }),
  await runLoad("pg: the count statement, 1 client", { concurrency: 1, seconds }, async () => {
    await pool.query({ name: "bench_unread_count", text: countSql, values: [me.id, me.id] });
  }),
];
printTable(
  `The inbox with ${total.toLocaleString("en")} notifications (${count.unread.toLocaleString("en")} unread and counted), PostgreSQL ${stack.serverVersion}`,
  results,
);

await pool.end();
await client.end();
await stack.stop();
