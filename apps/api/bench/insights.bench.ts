// `npm run bench:insights -w apps/api`: every insights statement over a project with 100,000 audit rows on a real
// PostgreSQL (BENCH_DATABASE_URL or TEST_DATABASE_URL; a database of its own is cloned from the migrated
// template), with each statement's latency (p50, p99) and its plan (EXPLAIN (ANALYZE, BUFFERS)).
//
// The history is written as the domain writes it (packages/core/src/testing/audit-history.ts: the same actions,
// the task row before and after), its snapshots padded to a real task row's size (title, a 400-character
// description, tags), spread over the last year: agents claim, hand in, are sent back, let leases lapse and are
// asked to stop; people do their own tasks and reopen some. Another project and another tenant add 20,000 rows
// each, interleaved, so the indexes are shared as they are in a real database.
import { randomUUID } from "node:crypto";
import { type Actor, getAgentInsights, getProjectInsights, insightStatements, schema } from "@taskflow/core";
import { createTaskflowTestDatabase, type HistoryWorker, TaskStory } from "@taskflow/core/testing";
import pg from "pg";
import { say } from "../../../bench/lib/bench-stack.ts";

const projectRows = Number(process.env.BENCH_AUDIT_ROWS ?? 100_000);
const noiseRows = Number(process.env.BENCH_NOISE_ROWS ?? 20_000);
const runs = Number(process.env.BENCH_RUNS ?? 30);
const serverUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
if (!serverUrl) throw new Error("set BENCH_DATABASE_URL or TEST_DATABASE_URL to a PostgreSQL server");
process.env.TEST_DATABASE_URL = serverUrl;

const database = await createTaskflowTestDatabase();
const db = database.db;
const client = new pg.Client({ connectionString: database.url });
await client.connect();

// A small deterministic generator, so two runs seed the same history.
let state = 42;
const random = () => {
  state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
  return state / 2_147_483_648;
};
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
const minutes = (n: number) => n * 60_000;

const tenantId = `bench-${randomUUID()}`;
const people = Array.from({ length: 5 }, () => ({ id: randomUUID(), kind: "human" }) satisfies HistoryWorker);
const agents = Array.from(
  { length: 10 },
  () => ({ id: randomUUID(), kind: "agent" }) satisfies HistoryWorker,
);
await db.insert(schema.workers).values([
  ...people.map((p, i) => ({
    id: p.id,
    tenantId,
    kind: "human" as const,
    handle: `@person-${i}`,
    name: `Person ${i}`,
  })),
  ...agents.map((a, i) => ({
    id: a.id,
    tenantId,
    kind: "agent" as const,
    handle: `@agent-${i}`,
    name: `Agent ${i}`,
  })),
]);
const [project, otherProject] = await db
  .insert(schema.projects)
  .values([
    { tenantId, slug: "measured", name: "Measured", ownerId: people[0]?.id as string },
    { tenantId, slug: "other", name: "Other", ownerId: people[0]?.id as string },
  ])
  .returning();
if (!project || !otherProject) throw new Error("no projects");
await db
  .insert(schema.projectMembers)
  .values({ projectId: project.id, workerId: people[0]?.id as string, role: "owner" });

/** One task's story starting at `t0`: one of the ways work goes, chosen at random. */
function story(tenant: string, projectId: string, t0: number): TaskStory {
  const s = new TaskStory(tenant, projectId);
  const person = pick(people);
  const agent = pick(agents);
  let t = t0;
  const next = (max: number) => {
    t += minutes(1 + Math.floor(random() * max));
    return new Date(t);
  };
  s.created(new Date(t), person);
  const kind = random();
  if (kind < 0.45) {
    s.claimed(next(600), agent);
    for (let i = Math.floor(random() * 4); i > 0; i--) s.progressed(next(20), agent);
    s.moved("review", next(240), agent);
    if (random() < 0.3) s.rejected(next(600), person, true).moved("review", next(240), agent);
    s.approved(next(900), person);
  } else if (kind < 0.65) {
    s.moved("in_progress", next(600), person).moved("completed", next(900), person);
    if (random() < 0.15) s.moved("in_progress", next(2000), person).moved("completed", next(300), person);
  } else if (kind < 0.78) {
    s.claimed(next(600), agent, 900).leaseExpired(next(60)).claimed(next(600), pick(agents));
    s.moved("review", next(240), agent).approved(next(900), person);
  } else if (kind < 0.88) {
    s.claimed(next(600), agent).stopRequested(next(60), person).stopAcknowledged(next(10), agent);
  } else if (kind < 0.95) {
    s.claimed(next(600), agent).released(next(120), agent);
  } else if (random() < 0.5) {
    s.deleted(next(5000), person);
  }
  return s;
}

const padding = {
  title: "A task as people write them, with a title of a reasonable length",
  description: "Lorem ipsum dolor sit amet, consectetur adipiscing elit. ".repeat(7),
  tags: ["backend", "insights"],
  priority: "medium",
  progress: 40,
};
const padded = (snapshot: unknown) =>
  snapshot && typeof snapshot === "object" && "id" in snapshot ? { ...padding, ...snapshot } : snapshot;

/** Writes stories spread over the last year until `total` rows, in batches, oldest first. */
async function seed(tenant: string, projectId: string, total: number): Promise<number> {
  const yearAgo = Date.now() - 365 * 86_400_000;
  let written = 0;
  let batch: (typeof schema.auditLog.$inferInsert)[] = [];
  while (written < total) {
    const rows = story(tenant, projectId, yearAgo + (written / total) * 360 * 86_400_000).rows;
    batch.push(...rows.map((r) => ({ ...r, before: padded(r.before), after: padded(r.after) })));
    written += rows.length;
    if (batch.length >= 2_000) {
      await db.insert(schema.auditLog).values(batch);
      batch = [];
    }
  }
  if (batch.length > 0) await db.insert(schema.auditLog).values(batch);
  return written;
}

say(
  `seeding ${projectRows.toLocaleString("en")} audit rows in one project, ${noiseRows.toLocaleString("en")} in another and in another tenant`,
);
const seedStart = performance.now();
const written = await seed(tenantId, project.id, projectRows);
await seed(tenantId, otherProject.id, noiseRows);
await seed(`bench-other-${randomUUID()}`, randomUUID(), noiseRows);
await client.query("vacuum (analyze) audit_log");
const { rows: counted } = await client.query<{ n: number }>("select count(*)::int as n from audit_log");
say(
  `seeded ${written.toLocaleString("en")} rows in the project (${counted[0]?.n.toLocaleString("en")} in all) in ${((performance.now() - seedStart) / 1000).toFixed(1)} s`,
);

const day = (offset: number) => new Date(Date.now() - offset * 86_400_000).toISOString().slice(0, 10);
const windows = [
  { label: "30 days, 12 weeks", query: { from: day(29), to: day(0), weeks: 12 } },
  { label: "366 days, 52 weeks", query: { from: day(365), to: day(0), weeks: 52 } },
];
const owner: Actor = {
  tenantId,
  workerId: people[0]?.id as string,
  type: "human",
  orgRole: "owner",
  channel: "web",
  scopes: null,
};

function percentile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
}

async function time(operation: () => Promise<unknown>): Promise<{ p50: number; p99: number }> {
  for (let i = 0; i < 3; i++) await operation();
  const latencies: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await operation();
    latencies.push(performance.now() - t0);
  }
  latencies.sort((a, b) => a - b);
  return { p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99) };
}

const table: string[] = [];
const row = (label: string, t: { p50: number; p99: number }) =>
  table.push(`${label.padEnd(52)} ${t.p50.toFixed(1).padStart(9)} ${t.p99.toFixed(1).padStart(9)}`);

for (const { label, query } of windows) {
  const start = new Date(`${query.from}T00:00:00Z`);
  const end = new Date(new Date(`${query.to}T00:00:00Z`).getTime() + 86_400_000);
  const last = new Date(`${query.to}T00:00:00Z`);
  const lastMonday = last.getTime() - ((last.getUTCDay() + 6) % 7) * 86_400_000;
  const weeksStart = new Date(lastMonday - (query.weeks - 1) * 7 * 86_400_000);
  const values: Record<string, string> = {
    tenantId,
    projectId: project.id,
    agentId: agents[0]?.id as string,
    start: start.toISOString(),
    end: end.toISOString(),
    weeksStart: weeksStart.toISOString(),
  };
  for (const [name, statement] of Object.entries(insightStatements)) {
    const params = statement.params.map((p) => values[p]);
    row(
      `${name} (${label})`,
      await time(() => client.query({ name: `bench_${name}`, text: statement.sql, values: params })),
    );
    if (label === windows[0]?.label || process.env.BENCH_ALL_PLANS) {
      // The plan PostgreSQL keeps for a prepared statement after five runs (the API prepares every statement):
      // generic, made without the parameters' values.
      await client.query(`prepare plan_${name} as ${statement.sql}`);
      await client.query("set plan_cache_mode = force_generic_plan");
      const execute = `execute plan_${name}(${params.map((p) => `'${p}'`).join(", ")})`;
      const plan = await client.query(`explain (analyze, buffers, costs off) ${execute}`);
      await client.query("reset plan_cache_mode");
      await client.query(`deallocate plan_${name}`);
      say(
        `\nplan of ${name} (${label}), prepared:\n${plan.rows.map((r) => `  ${r["QUERY PLAN"]}`).join("\n")}`,
      );
    }
  }
  row(
    `getProjectInsights, all of it (${label})`,
    await time(() => getProjectInsights(db, owner, project.id, query)),
  );
  row(
    `getAgentInsights, all of it (${label})`,
    await time(() => getAgentInsights(db, owner, values.agentId as string, query)),
  );
}

const { rows: version } = await client.query<{ server_version: string }>("show server_version");
say(
  `\nInsights over ${written.toLocaleString("en")} audit rows in one project, PostgreSQL ${version[0]?.server_version}, ${runs} runs each`,
);
say(`${"".padEnd(52)} ${"p50 ms".padStart(9)} ${"p99 ms".padStart(9)}`);
say(table.join("\n"));

await client.end();
await database.close();
