// `npm run bench:memory -w apps/sso`: the SSO's resident memory (RSS), started as its image starts it (`npm start`:
// NODE_ENV=production, logs at the default level, its own PostgreSQL database migrated first), idle after start and
// at most while BENCH_CONCURRENCY (50) connections read what clients read most for BENCH_SECONDS (10): the OpenID
// discovery document and the sign-in page, in turn (the JWKS is rate-limited per address: resource servers fetch it
// once and cache it). Issue 14 asks for the SSO to be measured beside the
// API and the MCP server (their targets: under 150 MiB idle, under 200 MiB at 50 connections). Sign-ins are not in
// the load: each costs a scrypt hash (the SSO bench measures them) and the rate limit stops 50 at once by design.
import { randomUUID } from "node:crypto";
import pg from "pg";
import { benchServer, freePort, say, startFlags } from "../../../bench/lib/bench-stack.ts";
import { startChildService } from "../../../bench/lib/child-service.ts";
import { printTable, runLoad } from "../../../bench/lib/load.ts";
import { processMemory, rssSampler } from "../../../bench/lib/process-memory.ts";
import { runMigrations } from "../../../packages/db/src/index.ts";
import { MIGRATION_LOCK_ID, migrationsFolder } from "../src/migrations.ts";

const connections = Number(process.env.BENCH_CONCURRENCY ?? 50);
const seconds = Number(process.env.BENCH_SECONDS ?? 10);

const server = await benchServer();
const name = `tf_sso_bench_${randomUUID().slice(0, 8)}`;
const admin = new pg.Client({ connectionString: server.url });
await admin.connect();
await admin.query(`create database "${name}"`);
const url = new URL(server.url);
url.pathname = `/${name}`;
say(`database ${name}: migrating`);
await runMigrations({ database: url.toString(), migrationsFolder, lockId: MIGRATION_LOCK_ID });

const paths = ["/.well-known/openid-configuration", "/sign-in"];
/** Node's flags for a smaller heap, as the API's and the MCP server's images run them. */
const smallHeap = ["--max-semi-space-size=8", "--max-old-space-size=256"];
const variants: { label: string; flags: string[] }[] = [
  { label: "as `npm start` runs it", flags: startFlags("sso") },
  ...(startFlags("sso").length
    ? [{ label: "Node's default heap", flags: [] }]
    : [{ label: smallHeap.join(" "), flags: smallHeap }]),
];

for (const variant of variants) {
  const port = await freePort();
  const ssoUrl = `http://127.0.0.1:${port}`;
  say(`\nstarting the SSO on ${ssoUrl} (NODE_ENV=production), ${variant.label}`);
  const sso = await startChildService(
    new URL("../src/server.ts", import.meta.url).pathname,
    {
      NODE_ENV: "production",
      HOST: "127.0.0.1",
      PORT: String(port),
      BETTER_AUTH_URL: ssoUrl,
      BETTER_AUTH_SECRET: randomUUID() + randomUUID(),
      DATABASE_URL: url.toString(),
      SHUTDOWN_DELAY_SECONDS: "0",
    },
    `${ssoUrl}/api/health`,
    { nodeArgs: variant.flags },
  );
  const pid = sso.child.pid as number;
  // Idle: after start, before any request, once start-up's garbage has had time to go.
  await new Promise((resolve) => setTimeout(resolve, 5_000));
  const idle = processMemory(pid).currentMiB;
  const rss = rssSampler(pid);
  const load = await runLoad(
    `discovery and sign-in page in turn, ${connections} connections`,
    { concurrency: connections, seconds },
    async (worker, i) => {
      const response = await fetch(`${ssoUrl}${paths[(worker + i) % paths.length]}`);
      await response.arrayBuffer();
      if (!response.ok) throw new Error(`answer ${response.status}`);
    },
  );
  const peak = rss.stop();
  printTable(`The SSO, ${variant.label}`, [load]);
  say(
    `SSO resident memory, ${variant.label}: ${idle.toFixed(0)} MiB idle, ${peak.toFixed(0)} MiB at most under the load`,
  );
  await sso.stop();
}

await admin.query(`drop database "${name}" with (force)`);
await admin.end();
await server.own?.stop();
