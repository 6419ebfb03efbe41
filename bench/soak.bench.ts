// `npm run bench:soak`: a soak on real PostgreSQL (BENCH_DATABASE_URL or TEST_DATABASE_URL). The
// API runs as its own process (NODE_ENV=production); agents claim the next task, heartbeat while
// they "work", report progress and complete it; a person keeps adding tasks; people list tasks and
// watch the board through Server-Sent Events (each stream reopened every minute, as browsers do).
// Printed: the API's memory (RSS, V8 heap, the heap left after each full collection) over time, p99 per operation per minute, every error,
// and whether memory grew. SOAK_SECONDS (default 600), SOAK_AGENTS (10), SOAK_PEOPLE (5).
import { randomUUID } from "node:crypto";
import { say, startBenchStack } from "./lib/bench-stack.ts";
import { processMemory } from "./lib/process-memory.ts";

const seconds = Number(process.env.SOAK_SECONDS ?? 600);
const agentCount = Number(process.env.SOAK_AGENTS ?? 10);
const peopleCount = Number(process.env.SOAK_PEOPLE ?? 5);
const sampleEveryMs = 5_000;

// The heap after each full (mark-compact) collection, from V8's --trace-gc lines on the API's
// stdout (its logs are off): what survives collection, the honest measure of a leak.
const fullGcs: { at: number; afterMiB: number }[] = [];
let gcLine = "";
let soakStarted = performance.now();
const stack = await startBenchStack({
  api: {
    nodeArgs: ["--trace-gc"],
    onStdout: (text) => {
      const lines = (gcLine + text).split("\n");
      gcLine = lines.pop() ?? "";
      for (const line of lines) {
        const full = /Mark-Compact[^\d]*[\d.]+ \([\d.]+\) -> ([\d.]+) \(/.exec(line);
        if (full) fullGcs.push({ at: (performance.now() - soakStarted) / 1000, afterMiB: Number(full[1]) });
      }
    },
  },
});
const apiPid = stack.api.child.pid as number;
const tenant = `org-soak-${randomUUID()}`;
const owner = await stack.issuer.mint({
  orgId: tenant,
  orgRole: "owner",
  sub: "soak-owner",
  expiresIn: "24h",
});
await stack.call(owner, "GET", "/api/workers/me");
const project = await stack.call<{ id: string }>(owner, "POST", "/api/projects", { name: "Soak" });
const agentKeys: string[] = [];
for (let i = 0; i < agentCount; i++) {
  const { agent, apiKey } = await stack.call<{ agent: { id: string }; apiKey: { key: string } }>(
    owner,
    "POST",
    "/api/agents",
    { handle: `@soak-agent-${i}`, name: `Soak agent ${i}`, agentType: "bench" },
  );
  await stack.call(owner, "POST", `/api/projects/${project.id}/members`, {
    workerId: agent.id,
    role: "member",
  });
  agentKeys.push(apiKey.key);
}
const people: string[] = [];
for (let i = 0; i < peopleCount; i++) {
  const token = await stack.issuer.mint({
    orgId: tenant,
    orgRole: "member",
    sub: `soak-person-${i}`,
    expiresIn: "24h",
  });
  const me = await stack.call<{ id: string }>(token, "GET", "/api/workers/me");
  await stack.call(owner, "POST", `/api/projects/${project.id}/members`, { workerId: me.id, role: "viewer" });
  people.push(token);
}

// ---- recording ---------------------------------------------------------------------------------
const started = performance.now();
soakStarted = started;
fullGcs.length = 0;
const minuteOf = (t: number) => Math.floor((t - started) / 60_000);
const latencies = new Map<number, Map<string, number[]>>();
const errors: { at: number; operation: string; detail: string }[] = [];
const counts = new Map<string, number>();

function record(operation: string, ms: number): void {
  const minute = minuteOf(performance.now());
  const byOp = latencies.get(minute) ?? new Map<string, number[]>();
  latencies.set(minute, byOp);
  const list = byOp.get(operation) ?? [];
  byOp.set(operation, list);
  list.push(ms);
  counts.set(operation, (counts.get(operation) ?? 0) + 1);
}

function fail(operation: string, detail: string): void {
  errors.push({ at: (performance.now() - started) / 1000, operation, detail });
}

/** One timed request; the parsed answer, or undefined after recording the error. */
async function timed<T>(operation: string, credential: string, method: string, path: string, body?: unknown) {
  const t0 = performance.now();
  try {
    const response = await fetch(`${stack.apiUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${credential}`,
        ...(body !== undefined ? { "content-type": "application/json" } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      signal: AbortSignal.timeout(30_000),
    });
    const text = await response.text();
    record(operation, performance.now() - t0);
    if (!response.ok) {
      fail(operation, `${method} ${path} → ${response.status} ${text.slice(0, 200)}`);
      return undefined;
    }
    return (text ? JSON.parse(text) : null) as T;
  } catch (error) {
    record(operation, performance.now() - t0);
    fail(
      operation,
      `${method} ${path} → ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`,
    );
    return undefined;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const deadline = started + seconds * 1000;
const running = () => performance.now() < deadline;

// ---- the workload ------------------------------------------------------------------------------
/** A person keeps the pool of pending tasks topped up (agents take them as fast as they can). */
async function producer(): Promise<void> {
  for (let i = 0; running(); i++) {
    const page = await timed<{ items: unknown[] }>(
      "list pending",
      owner,
      "GET",
      `/api/projects/${project.id}/tasks?status=pending&limit=100`,
    );
    const missing = page ? Math.max(0, 60 - page.items.length) : 0;
    for (let j = 0; j < Math.min(missing, 20) && running(); j++) {
      await timed("create task", owner, "POST", `/api/projects/${project.id}/tasks`, {
        title: `Soak task ${i}.${j}`,
        priority: (["low", "medium", "high", "critical"] as const)[j % 4],
      });
    }
    await sleep(500);
  }
}

let completed = 0;
let stopsSeen = 0;
/** An agent: claim the next task, heartbeat twice while working (with progress), complete it. */
async function agent(key: string): Promise<void> {
  while (running()) {
    const claim = await timed<{ task: { id: string } | null }>(
      "claim-next",
      key,
      "POST",
      "/api/tasks/claim-next",
      {
        projectId: project.id,
      },
    );
    const task = claim?.task;
    if (!task) {
      await sleep(250);
      continue;
    }
    for (const progress of [40, 80]) {
      await sleep(100);
      const beat = await timed<{ action: string }>(
        "heartbeat",
        key,
        "POST",
        `/api/tasks/${task.id}/heartbeat`,
        {
          progress,
        },
      );
      if (beat?.action === "stop") stopsSeen++;
    }
    const done = await timed("complete", key, "PATCH", `/api/tasks/${task.id}/status`, {
      status: "completed",
    });
    if (done) completed++;
  }
}

/** A person looking at the board: lists tasks a page at a time, now and then. */
async function viewer(token: string, index: number): Promise<void> {
  await sleep(index * 137);
  while (running()) {
    await timed("list tasks", token, "GET", `/api/projects/${project.id}/tasks?limit=50&sort=updated`);
    await sleep(300);
  }
}

let events = 0;
let streamsOpened = 0;
/** A person's live board: one event stream, reopened every minute. */
async function watcher(token: string): Promise<void> {
  while (running()) {
    const controller = new AbortController();
    const reopen = setTimeout(() => controller.abort(), 60_000);
    const t0 = performance.now();
    try {
      const response = await fetch(`${stack.apiUrl}/api/projects/${project.id}/events`, {
        headers: { authorization: `Bearer ${token}` },
        signal: controller.signal,
      });
      record("open event stream", performance.now() - t0);
      if (!response.ok) {
        fail("open event stream", `→ ${response.status} ${(await response.text()).slice(0, 200)}`);
        await sleep(1_000);
        continue;
      }
      streamsOpened++;
      for await (const chunk of response.body ?? []) {
        events += (
          Buffer.from(chunk as Uint8Array)
            .toString()
            .match(/^id: /gm) ?? []
        ).length;
        if (!running()) controller.abort();
      }
      if (!controller.signal.aborted) fail("event stream", "the server ended the stream");
    } catch (error) {
      if (!controller.signal.aborted)
        fail("event stream", error instanceof Error ? error.message : String(error));
    } finally {
      clearTimeout(reopen);
    }
  }
}

// ---- memory over time --------------------------------------------------------------------------
interface Sample {
  at: number;
  rssMiB: number;
  heapUsedMiB: number;
  heapTotalMiB: number;
}
const samples: Sample[] = [];
async function sampleMemory(): Promise<void> {
  const rssMiB = processMemory(apiPid).currentMiB;
  let heapUsedMiB = Number.NaN;
  let heapTotalMiB = Number.NaN;
  try {
    const text = await (
      await fetch(`${stack.apiUrl}/metrics`, { signal: AbortSignal.timeout(10_000) })
    ).text();
    const metric = (name: string) => Number(new RegExp(`^${name} (\\S+)`, "m").exec(text)?.[1]) / 2 ** 20;
    heapUsedMiB = metric("nodejs_heap_size_used_bytes");
    heapTotalMiB = metric("nodejs_heap_size_total_bytes");
  } catch (error) {
    fail("metrics", error instanceof Error ? error.message : String(error));
  }
  samples.push({ at: (performance.now() - started) / 1000, rssMiB, heapUsedMiB, heapTotalMiB });
}
async function sampler(): Promise<void> {
  while (running()) {
    await sampleMemory();
    const last = samples.at(-1);
    if (last && samples.length % 12 === 1) {
      say(
        `  ${last.at.toFixed(0).padStart(5)} s: rss ${last.rssMiB.toFixed(0)} MiB, heap ${last.heapUsedMiB.toFixed(1)} MiB; ` +
          `${completed} tasks completed, ${events} events received, ${errors.length} errors`,
      );
    }
    await sleep(sampleEveryMs);
  }
  await sampleMemory();
}

say(
  `soak: ${seconds} s on PostgreSQL ${stack.serverVersion}; ${agentCount} agents claiming, heartbeating and completing; ` +
    `1 person adding tasks; ${peopleCount} people listing and watching the board over SSE`,
);
await Promise.all([
  sampler(),
  producer(),
  ...agentKeys.map((key) => agent(key)),
  ...people.map((token, i) => viewer(token, i)),
  ...people.map((token) => watcher(token)),
]);
const elapsed = (performance.now() - started) / 1000;

// ---- the report --------------------------------------------------------------------------------
const p99 = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(0.99 * sorted.length))] ?? Number.NaN;
};
const operations = [...counts.keys()];
say(`\nlatency p99 (ms) per minute, with requests per minute (* a partial minute)`);
say(["minute", ...operations].map((c, i) => (i === 0 ? c.padEnd(8) : c.padStart(19))).join(""));
for (const [minute, byOp] of [...latencies.entries()].sort((a, b) => a[0] - b[0])) {
  const cells = operations.map((op) => {
    const list = byOp.get(op) ?? [];
    return list.length ? `${p99(list).toFixed(1)} (${list.length})` : "-";
  });
  const partial = (minute + 1) * 60 > elapsed + 1 ? "*" : "";
  say([`${minute + 1}${partial}`.padEnd(8), ...cells.map((c) => c.padStart(19))].join(""));
}

say(`\nAPI process memory over time`);
say(`${"s".padStart(6)} ${"rss MiB".padStart(9)} ${"heap used".padStart(10)} ${"heap total".padStart(11)}`);
for (const s of samples) {
  say(
    `${s.at.toFixed(0).padStart(6)} ${s.rssMiB.toFixed(1).padStart(9)} ${s.heapUsedMiB.toFixed(1).padStart(10)} ${s.heapTotalMiB.toFixed(1).padStart(11)}`,
  );
}

// Growth: after a warm-up (the first fifth, at least a minute), the least-squares slope of RSS
// and of the heap left after each full collection, and that heap first third against last third.
const warmFrom = Math.min(60, elapsed / 5);
const slope = (points: { x: number; y: number }[]) => {
  const n = points.length;
  if (n < 3) return Number.NaN;
  const mx = points.reduce((a, p) => a + p.x, 0) / n;
  const my = points.reduce((a, p) => a + p.y, 0) / n;
  const num = points.reduce((a, p) => a + (p.x - mx) * (p.y - my), 0);
  const den = points.reduce((a, p) => a + (p.x - mx) ** 2, 0);
  return (num / den) * 60; // per minute
};
const gcs = fullGcs.filter((g) => g.at >= warmFrom);
const rssSlope = slope(samples.filter((s) => s.at >= warmFrom).map((s) => ({ x: s.at, y: s.rssMiB })));
const heapSlope = slope(gcs.map((g) => ({ x: g.at, y: g.afterMiB })));
const third = Math.max(1, Math.floor(gcs.length / 3));
const mean = (list: { afterMiB: number }[]) =>
  list.reduce((a, g) => a + g.afterMiB, 0) / Math.max(1, list.length);
const firstHeap = mean(gcs.slice(0, third));
const lastHeap = mean(gcs.slice(-third));
const signed = (v: number) => `${v >= 0 ? "+" : ""}${v.toFixed(2)}`;
say(
  `\nheap after each full collection (MiB): ${fullGcs.map((g) => `${g.at.toFixed(0)}s ${g.afterMiB.toFixed(1)}`).join(", ")}`,
);
const grew = gcs.length >= 3 ? lastHeap - firstHeap > Math.max(5, firstHeap * 0.1) : undefined;
say(
  `memory after ${warmFrom.toFixed(0)} s of warm-up: heap after full GCs ${signed(heapSlope)} MiB/min ` +
    `(${gcs.length} collections; mean ${firstHeap.toFixed(1)} MiB first third, ${lastHeap.toFixed(1)} MiB last), ` +
    `rss ${signed(rssSlope)} MiB/min → ` +
    (grew === undefined
      ? "too few full collections to tell"
      : grew
        ? "MEMORY GREW"
        : "no growth beyond noise"),
);
say(
  `${elapsed.toFixed(0)} s: ${[...counts.values()].reduce((a, b) => a + b, 0)} requests ` +
    `(${operations.map((op) => `${op} ${counts.get(op)}`).join(", ")}); ${completed} tasks completed, ` +
    `${stopsSeen} stop signals, ${streamsOpened} event streams opened, ${events} events received`,
);
say(`errors: ${errors.length}`);
for (const e of errors.slice(0, 100)) say(`  ${e.at.toFixed(1)} s ${e.operation}: ${e.detail}`);
if (errors.length > 100) say(`  … and ${errors.length - 100} more`);
await stack.stop();
process.exit(0);
