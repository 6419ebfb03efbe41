// `npm run bench:runs -w apps/api`: how fast 20 agents append activities to their runs, and how fast those reach
// 200 people watching the runs live (Server-Sent Events), on a PostgreSQL server with durable settings (its own,
// fsync and synchronous commit on, unless BENCH_DATABASE_URL names one) and the API configured as users run it:
// rate limits on at their defaults, behind one proxy, each agent and watcher from its own address.
import { startPostgresServer } from "@taskflow/db/testing";
import { decodeJwt } from "jose";
import pg from "pg";
import { benchOrganization } from "../../../bench/lib/bench-organization.ts";
import { say, startBenchStack } from "../../../bench/lib/bench-stack.ts";
import { printTable, runLoad, runTimes } from "../../../bench/lib/load.ts";
import { processMemory } from "../../../bench/lib/process-memory.ts";

const agents = Number(process.env.BENCH_AGENTS ?? 20);
const watchers = Number(process.env.BENCH_WATCHERS ?? 200);
const seconds = Number(process.env.BENCH_SECONDS ?? 15);

// A durable server of our own unless one is named: the shared test server runs with fsync off.
const own = process.env.BENCH_DATABASE_URL ? undefined : await startPostgresServer();
if (own) process.env.BENCH_DATABASE_URL = own.url;
const durability = await (async () => {
  const client = new pg.Client({ connectionString: process.env.BENCH_DATABASE_URL });
  await client.connect();
  const setting = async (name: string) => (await client.query(`show ${name}`)).rows[0]?.[name] as string;
  const settings = {
    fsync: await setting("fsync"),
    synchronous_commit: await setting("synchronous_commit"),
    full_page_writes: await setting("full_page_writes"),
  };
  await client.end();
  return settings;
})();
const durable = durability.fsync === "on" && durability.synchronous_commit !== "off";
say(`durability: ${JSON.stringify(durability)}${durable ? "" : "  ← NOT durable: figures are optimistic"}`);

const stack = await startBenchStack();
const { owner, project, keys } = await benchOrganization(stack, {
  projectName: "Runs",
  agents,
  handlePrefix: "bench-runner",
});

/** A call from one simulated client address (the proxy's X-Forwarded-For). */
async function call<T>(credential: string, address: string, method: string, path: string, body?: unknown) {
  const response = await fetch(`${stack.apiUrl}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${credential}`,
      "x-forwarded-for": address,
      ...(body ? { "content-type": "application/json" } : {}),
    },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

// Each agent claims a task of its own: its run opens.
const runs: string[] = [];
for (const [i, key] of keys.entries()) {
  const task = await call<{ id: string }>(owner, "10.9.0.1", "POST", `/api/projects/${project.id}/tasks`, {
    title: `Work ${i + 1}`,
  });
  await call(key, `10.1.0.${i + 1}`, "POST", `/api/tasks/${task.id}/claim`);
  const list = await call<{ items: { id: string }[] }>(
    owner,
    "10.9.0.1",
    "GET",
    `/api/tasks/${task.id}/runs`,
  );
  runs.push(list.items[0]?.id as string);
}

// The benchmark organization, from its owner's token: the watchers are its people.
const tenant = decodeJwt(owner).org_id as string;
// 200 watchers, spread evenly over the runs, each its own person and address, following from now on.
say(`opening ${watchers} run streams (${Math.ceil(watchers / agents)} per run)`);
const controller = new AbortController();
const delays: number[] = [];
let received = 0;
const newest = await call<{ items: { id: string }[] }>(
  owner,
  "10.9.0.1",
  "GET",
  `/api/projects/${project.id}/audit?limit=1`,
);
// Each watcher signs in once first (its worker is created on its first request), 20 at a time as people arrive;
// then the streams open, 20 at a time. 200 first requests at one instant exhausted the pool on a durable server.
const watcherTokens = await Promise.all(
  Array.from({ length: watchers }, (_, w) =>
    stack.issuer.mint({ orgId: tenant, orgRole: "owner", sub: `watcher-${w}` }),
  ),
);
const watcherAddress = (w: number) => `10.2.${Math.floor(w / 250)}.${(w % 250) + 1}`;
await runTimes(watchers, 20, async (w) => {
  await call(watcherTokens[w] as string, watcherAddress(w), "GET", "/api/workers/me");
});
const streams: { reading: Promise<void> }[] = [];
await runTimes(watchers, 20, async (w) => {
  const runId = runs[w % runs.length] as string;
  const response = await fetch(`${stack.apiUrl}/api/runs/${runId}/events`, {
    headers: {
      authorization: `Bearer ${watcherTokens[w]}`,
      "x-forwarded-for": watcherAddress(w),
      "last-event-id": newest.items[0]?.id ?? "0",
    },
    signal: controller.signal,
  });
  if (!response.ok) throw new Error(`watcher ${w}: ${response.status} ${await response.text()}`);
  const reading = (async () => {
    let buffer = "";
    try {
      for await (const chunk of response.body ?? []) {
        const now = Date.now();
        buffer += Buffer.from(chunk as Uint8Array).toString();
        let end = buffer.indexOf("\n\n");
        while (end >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          if (block.includes("event: run.thought")) {
            // The audit entry's own createdAt is the last one in it: when the activity committed.
            const stamps = block.match(/"createdAt":"([^"]+)"/g) ?? [];
            const last = stamps.at(-1)?.slice(13, -1);
            if (last) delays.push(now - Date.parse(last));
            received++;
          }
          end = buffer.indexOf("\n\n");
        }
      }
    } catch {
      // aborted at the end
    }
  })();
  streams.push({ reading });
});

await new Promise((resolve) => setTimeout(resolve, 1_000));
const appends = await runLoad(
  `append a thought, ${agents} agents`,
  { concurrency: agents, seconds },
  async (w, i) => {
    await call(keys[w] as string, `10.1.0.${w + 1}`, "POST", `/api/runs/${runs[w]}/activities`, {
      type: "thought",
      body: `Step ${i}: looking at the next file`,
    });
  },
);
await new Promise((resolve) => setTimeout(resolve, 3_000));
const memory = processMemory(stack.api.child.pid as number);
controller.abort();
await Promise.allSettled(streams.map((stream) => stream.reading));

delays.sort((a, b) => a - b);
const at = (q: number) => delays[Math.min(delays.length - 1, Math.floor(q * delays.length))] ?? 0;
const perRun = watchers / runs.length;
const expected = appends.requests * perRun;
printTable(
  `Agent runs on PostgreSQL ${stack.serverVersion} (durable: ${durable}), rate limits on, ${seconds}s`,
  [appends],
);
say(
  `fan-out: ${appends.requests} activities × ${perRun} watchers each = ${expected} expected, ${received} delivered ` +
    `(${(received / appends.seconds).toFixed(0)} events/s); commit → watcher p50 ${at(0.5).toFixed(0)} ms, ` +
    `p99 ${at(0.99).toFixed(0)} ms, max ${(delays.at(-1) ?? 0).toFixed(0)} ms`,
);
say(`API process memory: rss ${memory.currentMiB.toFixed(0)} MiB, peak ${memory.peakMiB.toFixed(0)} MiB`);
await stack.stop();
await own?.destroy();
