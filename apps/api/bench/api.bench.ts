// `npm run bench -w apps/api`: the API as users run it — started as `npm start` starts it, with the
// production defaults (NODE_ENV=production, rate limiting on at its default limits, logs at the default
// level) on a durable PostgreSQL (fsync on) — under 50 connections from wrk, a load generator in its own
// process; then the same with rate limiting off, and the same SQL sent straight through pg (the ceiling).
// Prints requests/s, latency, the API's and PostgreSQL's CPU per request, and the API's memory idle and
// at 50 connections. BENCH_SECONDS (10), BENCH_CONCURRENCY (50); BENCH_FSYNC_OFF=1 adds rows on a
// PostgreSQL with fsync off (labelled so); BENCH_SEMI_8=1 adds rows with the young generation the API had
// before (--max-semi-space-size=8); BENCH_SOURCES=1 adds rows with the API run from its TypeScript sources, as it
// ran before its bundle (apps/api/scripts/build-bundle.ts); BENCH_CPU_PROF=1 profiles the API under the list load and prints where
// its CPU went. Figures, never assertions: the targets are printed beside them.
import { mkdtempSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { addressOf, say, startBenchStack } from "../../../bench/lib/bench-stack.ts";
import { profileClockUs, summarizeProfile } from "../../../bench/lib/cpu-profile.ts";
import { type LoadResult, printTable, runTimes } from "../../../bench/lib/load.ts";
import { cpuMeter } from "../../../bench/lib/process-cpu.ts";
import { processMemory, rssSampler } from "../../../bench/lib/process-memory.ts";
import { runWrk, wrkAvailable } from "../../../bench/lib/wrk.ts";
import { ceilingLabels, measureCeiling } from "./raw-sql-ceiling.ts";

const connections = Number(process.env.BENCH_CONCURRENCY ?? 50);
const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const withFsyncOff = process.env.BENCH_FSYNC_OFF === "1";
const withProfile = process.env.BENCH_CPU_PROF === "1";
const withPreviousYoung = process.env.BENCH_SEMI_8 === "1";
const withSources = process.env.BENCH_SOURCES === "1";

if (!wrkAvailable()) {
  say("wrk is missing: apt-get install -y wrk (the load generator runs as its own process)");
  process.exit(2);
}

type Row = LoadResult & { note?: string; apiCpuMs?: number; dbCpuMs?: number; peakMiB?: number };
const ops = {
  list: "API list tasks (status filter, 50/page)",
  create: "API create task",
  status: "API change status",
} as const;

/** One PostgreSQL, one seeded project, the API started for each configuration in turn. */
async function measure(
  scenarios: { note: string; env?: Record<string, string>; nodeArgs?: string[]; fromSources?: boolean }[],
  fast: boolean,
) {
  const stack = await startBenchStack({ fast });
  const serverPid = stack.serverPid;
  const tenant = `org-bench-${crypto.randomUUID()}`;
  const tokens = await Promise.all(
    Array.from({ length: connections }, (_, i) =>
      stack.issuer.mint({ orgId: tenant, orgRole: "admin", sub: `bench-${i}`, expiresIn: "2h" }),
    ),
  );
  const addresses = tokens.map(addressOf);
  await new Promise((resolve) => setTimeout(resolve, 3000));
  const idle = [
    `${scenarios[0]?.note}: ${processMemory(stack.api.child.pid as number).currentMiB.toFixed(0)} MiB`,
  ];

  // Every user's first request creates their worker; do it before measuring.
  await runTimes(tokens.length, 5, (i) => stack.call(tokens[i] as string, "GET", "/api/workers/me"));
  const first = tokens[0] as string;
  const project = await stack.call<{ id: string }>(first, "POST", "/api/projects", { name: "Bench" });
  say("seeding 2,000 tasks");
  const seeded: string[] = [];
  await runTimes(2000, 20, async (i) => {
    const task = await stack.call<{ id: string }>(first, "POST", `/api/projects/${project.id}/tasks`, {
      title: `Seeded ${i}`,
    });
    seeded.push(task.id);
  });
  // A long-running database has statistics; a table filled a second ago does not, and the planner
  // then guesses. Measure the steady state.
  const sql = new pg.Client({ connectionString: stack.databaseUrl });
  await sql.connect();
  await sql.query("analyze");

  const plans = {
    list: `method = "GET"; path = "/api/projects/${project.id}/tasks?status=pending&limit=50"`,
    create: `method = "POST"; path = "/api/projects/${project.id}/tasks"
      body = '{"title":"Load ' .. n .. '","tags":["bench"]}'`,
    // Each task in turn, pending -> blocked on the first pass over them, back on the second: two
    // requests for one task are 2,000 requests apart, never in flight together.
    status: `local i = (n - 1) % #data.ids
      method = "PATCH"; path = "/api/tasks/" .. data.ids[i + 1] .. "/status"
      if math.floor((n - 1) / #data.ids) % 2 == 0 then body = '{"status":"blocked"}' else body = '{"status":"pending"}' end`,
  };
  const rows: Row[] = [];
  const peaks: string[] = [];
  for (const [index, scenario] of scenarios.entries()) {
    if (index > 0) {
      await stack.restartApi({
        ...(scenario.env ? { env: scenario.env } : {}),
        ...(scenario.nodeArgs ? { nodeArgs: scenario.nodeArgs } : {}),
        ...(scenario.fromSources ? { fromSources: true } : {}),
      });
      await new Promise((resolve) => setTimeout(resolve, 3000));
      idle.push(
        `${scenario.note}: ${processMemory(stack.api.child.pid as number).currentMiB.toFixed(0)} MiB`,
      );
    }
    let peak = 0;
    for (const op of ["list", "create", "status"] as const) {
      // Every seeded task pending again. Here, not after the run: requests wrk left in flight when it
      // stopped are still answered after it exits, and one that lands after a reset leaves its task
      // blocked, so the next run's first "block it" would be refused (409).
      if (op === "status") {
        await sql.query("update tasks set status = 'pending' where project_id = $1 and status <> 'pending'", [
          project.id,
        ]);
      }
      const apiPid = stack.api.child.pid as number;
      const apiCpu = cpuMeter(apiPid, { children: false });
      const dbCpu = serverPid ? cpuMeter(serverPid, { children: true }) : undefined;
      const rss = rssSampler(apiPid);
      const sampling = setInterval(() => dbCpu?.sample(), 1000);
      const result = await runWrk({
        label: ops[op],
        baseUrl: stack.apiUrl,
        connections,
        seconds,
        credentials: tokens,
        addresses,
        operation: plans[op],
        data: { ids: seeded },
      });
      clearInterval(sampling);
      const apiSeconds = apiCpu.stop();
      const dbSeconds = dbCpu?.stop();
      const rssPeak = rss.stop();
      peak = Math.max(peak, rssPeak);
      const perRequest = (cpu: number) => (cpu * 1000) / Math.max(1, result.requests);
      rows.push({
        ...result,
        note: scenario.note,
        apiCpuMs: perRequest(apiSeconds),
        ...(dbSeconds !== undefined ? { dbCpuMs: perRequest(dbSeconds) } : {}),
        peakMiB: rssPeak,
      });
    }
    peaks.push(`${scenario.note}: ${peak.toFixed(0)} MiB`);
  }

  let profile: string | undefined;
  if (withProfile) {
    const dir = mkdtempSync(join(tmpdir(), "taskflow-api-profile-"));
    await stack.restartApi({ nodeArgs: ["--cpu-prof", `--cpu-prof-dir=${dir}`] });
    // The profile starts with the process; only the load's samples are summarized.
    const loadStarted = profileClockUs();
    await runWrk({
      label: "profile",
      baseUrl: stack.apiUrl,
      connections,
      seconds,
      credentials: tokens,
      addresses,
      operation: plans.list,
    });
    await stack.restartApi();
    profile = summarizeProfile(dir, 15, loadStarted);
  }

  const ceiling = await measureCeiling({
    databaseUrl: stack.databaseUrl,
    projectId: project.id,
    tenant,
    seeded,
    concurrency: connections,
    seconds,
  });
  await sql.end();
  const settings = stack.serverSettings;
  await stack.stop();
  return { rows, ceiling, idle, peaks, settings, profile };
}

const load = () =>
  loadavg()
    .map((l) => l.toFixed(1))
    .join(" ");
say(`load average before: ${load()}`);
const durable = await measure(
  [
    { note: "limits on (defaults)" },
    { note: "limits off", env: { RATE_LIMIT_PER_ADDRESS: "0", RATE_LIMIT_PER_CALLER: "0" } },
    // The young generation the API ran with before (npm start's flag is the later one of the two).
    ...(withPreviousYoung ? [{ note: "limits on, semi 8 MiB", nodeArgs: ["--max-semi-space-size=8"] }] : []),
    // The API as it ran before its bundle: the same code, Node stripping the types of its sources.
    ...(withSources ? [{ note: "limits on, from sources", fromSources: true }] : []),
  ],
  false,
);
const fast = withFsyncOff ? await measure([{ note: "limits on, fsync off" }], true) : undefined;
const loadAfter = load();

const apiRows = [...durable.rows, ...(fast?.rows ?? [])];
printTable(
  `TaskFlow API, ${connections} connections (wrk, its own process), ${seconds} s each, PostgreSQL ${durable.settings.version} ${durable.settings.label}`,
  [...apiRows, ...durable.ceiling],
);
say("\nCPU per request (ms): the API process, and PostgreSQL (every backend of its server)");
for (const r of apiRows) {
  say(
    `  ${r.label.padEnd(44)} ${(r.note ?? "").padEnd(22)} API ${r.apiCpuMs?.toFixed(2) ?? "—"}   PostgreSQL ${r.dbCpuMs?.toFixed(2) ?? "—"}`,
  );
}
say(`\nAPI memory (RSS) idle after start: ${durable.idle.join("; ")}`);
say(
  `API memory (RSS) at most while loaded: ${durable.peaks.join("; ")}${fast ? `; ${fast.peaks.join("; ")}` : ""}`,
);
const find = (label: string, note: string) => durable.rows.find((r) => r.label === label && r.note === note);
const ceilingOf = (label: string) => durable.ceiling.find((r) => r.label === label);
const share = (api: Row | undefined, raw: LoadResult | undefined) =>
  api && raw ? (api.perSecond / raw.perSecond) * 100 : Number.NaN;
say("");
for (const [op, label, rawLabel] of [
  ["list", ops.list, ceilingLabels.list],
  ["create", ops.create, ceilingLabels.create],
  ["change status", ops.status, ceilingLabels.status],
] as const) {
  const on = find(label, "limits on (defaults)");
  const off = find(label, "limits off");
  say(
    `${op}: ${share(on, ceilingOf(rawLabel)).toFixed(0)} % of the raw-SQL ceiling with limits on, ` +
      `${share(off, ceilingOf(rawLabel)).toFixed(0)} % with them off; limits cost ${on && off ? (((off.perSecond - on.perSecond) / off.perSecond) * 100).toFixed(1) : "?"} % of the throughput`,
  );
}

// The issue's targets, beside what was measured (rate limiting on).
const list = find(ops.list, "limits on (defaults)");
const create = find(ops.create, "limits on (defaults)");
const status = find(ops.status, "limits on (defaults)");
const mark = (ok: boolean) => (ok ? "met" : "NOT met");
const idleMiB = Number(/: (\d+) MiB/.exec(durable.idle[0] ?? "")?.[1]);
const peakMiB = Number(/: (\d+) MiB/.exec(durable.peaks[0] ?? "")?.[1]);
say("\ntargets (limits on, durable PostgreSQL):");
say(`  list >= 1,000 req/s: ${list?.perSecond.toFixed(0)} — ${mark((list?.perSecond ?? 0) >= 1000)}`);
say(`  create >= 800 req/s: ${create?.perSecond.toFixed(0)} — ${mark((create?.perSecond ?? 0) >= 800)}`);
say(
  `  change status >= 800 req/s: ${status?.perSecond.toFixed(0)} — ${mark((status?.perSecond ?? 0) >= 800)}`,
);
const worstP99 = Math.max(list?.p99 ?? 0, create?.p99 ?? 0, status?.p99 ?? 0);
say(`  p99 <= 150 ms: worst ${worstP99.toFixed(0)} ms — ${mark(worstP99 <= 150)}`);
const lowestShare = Math.min(
  share(list, ceilingOf(ceilingLabels.list)),
  share(create, ceilingOf(ceilingLabels.create)),
  share(status, ceilingOf(ceilingLabels.status)),
);
say(`  API >= 50 % of its raw-SQL ceiling: lowest ${lowestShare.toFixed(0)} % — ${mark(lowestShare >= 50)}`);
say(
  `  list: API CPU under PostgreSQL's: ${list?.apiCpuMs?.toFixed(2)} vs ${list?.dbCpuMs?.toFixed(2)} ms — ${mark((list?.apiCpuMs ?? 1) < (list?.dbCpuMs ?? 0))}`,
);
say(`  RSS idle < 150 MiB: ${idleMiB} — ${mark(idleMiB < 150)}`);
say(`  RSS at ${connections} connections < 200 MiB: ${peakMiB} — ${mark(peakMiB < 200)}`);
if (durable.profile) say(`\n${durable.profile}`);
say(`\nload average after: ${loadAfter} (2 CPUs: figures taken under load are lower than the machine's own)`);
