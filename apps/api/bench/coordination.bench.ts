// `npm run bench:coordination -w apps/api`: claims per second with 20 agents racing on a real
// PostgreSQL, heartbeat latency, and how many events one API process fans out per second to 200
// Server-Sent Events subscribers.
import { loadavg } from "node:os";
import pg from "pg";
import { benchOrganization } from "../../../bench/lib/bench-organization.ts";
import { say, startBenchStack } from "../../../bench/lib/bench-stack.ts";
import { printTable, runLoad, runTimes } from "../../../bench/lib/load.ts";
import { cpuMeter } from "../../../bench/lib/process-cpu.ts";
import { processMemory } from "../../../bench/lib/process-memory.ts";
import { statementCounter } from "../../../bench/lib/statement-counter.ts";

const agents = Number(process.env.BENCH_AGENTS ?? 20);
const subscribers = Number(process.env.BENCH_SUBSCRIBERS ?? 200);
const seconds = Number(process.env.BENCH_SECONDS ?? 10);
// Enough tasks that the racing agents do not run out within the run (an empty answer costs less than a claim).
const pool = Number(process.env.BENCH_CLAIM_POOL ?? 8000);
// BENCH_ONLY_CLAIMS=1: the claim row alone, for quick before/after runs taken in turns on a loaded machine.
const onlyClaims = process.env.BENCH_ONLY_CLAIMS === "1";

const stack = await startBenchStack({ countStatements: true });
const { owner, project, keys } = await benchOrganization(stack, {
  projectName: "Claims",
  agents,
  handlePrefix: "bench-agent",
});
say(`seeding ${pool} claimable tasks`);
// Past 6,000 in a minute the owner meets the per-caller rate limit (the bench runs with production limits).
await runTimes(pool, 20, async (i) => {
  await stack.callPatiently(owner, "POST", `/api/projects/${project.id}/tasks`, {
    title: `Claimable ${i + 1}`,
  });
});

// As autovacuum leaves the table once the seeding settles: the claims' CPU figures then hold the claims alone,
// not a vacuum of the 8,000 fresh rows (and their trigram indexes' pending lists) running meanwhile.
const maintenance = new pg.Client({ connectionString: stack.databaseUrl });
await maintenance.connect();
await maintenance.query("vacuum analyze tasks");
await maintenance.end();

const claimed: { key: string; id: string }[] = [];
let empty = 0;
// What one claim costs, which a loaded machine distorts less than claims per second: statements the API sent
// (pg_stat_statements), and CPU seconds of the API process and of PostgreSQL (the server the benchmark started).
const statements = await statementCounter(stack.databaseUrl);
await statements.reset();
const apiCpu = cpuMeter(stack.api.child.pid as number, { children: false });
const serverCpu = stack.serverPid ? cpuMeter(stack.serverPid, { children: true }) : undefined;
const sampling = setInterval(() => serverCpu?.sample(), 200);
const loadBefore = loadavg()[0] ?? 0;
const claims = await runLoad(
  `claim-next, ${agents} agents racing`,
  { concurrency: agents, seconds },
  async (w) => {
    const key = keys[w] as string;
    const answer = await stack.call<{ task: { id: string } | null }>(key, "POST", "/api/tasks/claim-next", {
      projectId: project.id,
    });
    if (answer.task) claimed.push({ key, id: answer.task.id });
    else empty++;
  },
);
clearInterval(sampling);
const claimCost = {
  statements: await statements.count(),
  apiSeconds: apiCpu.stop(),
  serverSeconds: serverCpu?.stop(),
  load: [loadBefore, loadavg()[0] ?? 0],
};
const topStatements = await statements.top(12);
await statements.close();
const uniqueClaims = new Set(claimed.map((c) => c.id)).size;
const perClaim = (total: number) => total / Math.max(1, claims.requests);
const claimSummary = () => {
  say(
    `claims: ${uniqueClaims} distinct tasks claimed (${(uniqueClaims / claims.seconds).toFixed(0)}/s), ` +
      `${claimed.length - uniqueClaims} claimed twice, ${empty} empty answers${empty > 0 ? " (the pool ran out: raise BENCH_CLAIM_POOL)" : ""}`,
  );
  say(
    `per claim request: ${statements.available ? perClaim(claimCost.statements).toFixed(1) : "n/a (pg_stat_statements not preloaded)"} statements, ` +
      `API CPU ${(perClaim(claimCost.apiSeconds) * 1000).toFixed(2)} ms, ` +
      `PostgreSQL CPU ${claimCost.serverSeconds === undefined ? "n/a" : `${(perClaim(claimCost.serverSeconds) * 1000).toFixed(2)} ms`}; ` +
      `load average ${claimCost.load.map((l) => l.toFixed(1)).join(" → ")} (1 min)`,
  );
  if (process.env.BENCH_STATEMENTS === "1") {
    for (const { calls, meanMs, query } of topStatements) {
      say(
        `  ${String(calls).padStart(7)} × ${meanMs.toFixed(2).padStart(6)} ms  ${query.replace(/\s+/g, " ").slice(0, 130)}`,
      );
    }
  }
};
if (onlyClaims) {
  printTable(`Agent coordination on PostgreSQL ${stack.serverVersion}, ${seconds}s`, [claims]);
  claimSummary();
  await stack.stop();
  process.exit(0);
}
const heartbeats = await runLoad(
  `heartbeat, ${agents} agents`,
  { concurrency: agents, seconds },
  async (w, i) => {
    const mine = claimed.filter((c) => c.key === keys[w]);
    const target = mine[i % Math.max(1, mine.length)];
    if (!target) return;
    await stack.call(target.key, "POST", `/api/tasks/${target.id}/heartbeat`, {});
  },
);

// Fan-out: 200 subscribers on one project, one writer changing it as fast as it can.
say(`opening ${subscribers} event streams`);
// Resume from the newest event, as a reconnecting board would: no replay of the seeding history.
const newest = await stack.call<{ items: { id: string }[] }>(
  owner,
  "GET",
  `/api/projects/${project.id}/audit?limit=1`,
);
const controller = new AbortController();
let received = 0;
const streams = await Promise.all(
  Array.from({ length: subscribers }, async () => {
    const response = await fetch(`${stack.apiUrl}/api/projects/${project.id}/events`, {
      headers: { authorization: `Bearer ${owner}`, "last-event-id": newest.items[0]?.id ?? "0" },
      signal: controller.signal,
    });
    // Wrapped: an async function returning a promise would wait for the stream to end.
    const reading = (async () => {
      try {
        for await (const chunk of response.body ?? []) {
          received += (
            Buffer.from(chunk as Uint8Array)
              .toString()
              .match(/^id: /gm) ?? []
          ).length;
        }
      } catch {
        // aborted at the end
      }
    })();
    return { reading };
  }),
);
const before = received;
const streamsOpenAt = performance.now();
const writes = await runLoad(
  "writer: project changes (each fanned out)",
  { concurrency: 4, seconds },
  async (_w, i) => {
    await stack.call(owner, "PATCH", `/api/projects/${project.id}`, { description: `change ${i}` });
  },
);
await new Promise((r) => setTimeout(r, 2000));
const delivered = received - before;
// What keeping the streams to their callers' access cost meanwhile: every open stream decides again every 4-5 s.
const decisions = await streamDecisions(stack.apiUrl);
const openSeconds = (performance.now() - streamsOpenAt) / 1000;
const memory = processMemory(stack.api.child.pid as number);
controller.abort();
await Promise.allSettled(streams.map((stream) => stream.reading));

printTable(`Agent coordination on PostgreSQL ${stack.serverVersion}, ${seconds}s each`, [
  claims,
  heartbeats,
  writes,
]);
claimSummary();
say(
  `fan-out: ${writes.requests} changes × ${subscribers} subscribers = ${writes.requests * subscribers} expected, ` +
    `${delivered} delivered (${(delivered / writes.seconds).toFixed(0)} events/s)`,
);
say(
  `stream re-decisions: ${decisions.count} while the streams were open (${openSeconds.toFixed(0)} s, ${(decisions.count / openSeconds).toFixed(0)}/s), ` +
    `${((decisions.seconds / Math.max(1, decisions.count)) * 1000).toFixed(2)} ms each on average`,
);
say(`API process memory: rss ${memory.currentMiB.toFixed(0)} MiB, peak ${memory.peakMiB.toFixed(0)} MiB`);
await stack.stop();

/** The API's count and total time of stream re-decisions, from its /metrics. */
async function streamDecisions(apiUrl: string): Promise<{ count: number; seconds: number }> {
  const text = await (await fetch(`${apiUrl}/metrics`)).text();
  const sum = (name: string) =>
    [...text.matchAll(new RegExp(`^${name}\\{[^}]*\\} ([0-9.e+-]+)$`, "gm"))].reduce(
      (total, match) => total + Number(match[1]),
      0,
    );
  return {
    count: sum("taskflow_event_stream_decisions_seconds_count"),
    seconds: sum("taskflow_event_stream_decisions_seconds_sum"),
  };
}
