import { migrationsFolder, migrationsLockId } from "@taskflow/core";
import { runMigrations } from "@taskflow/db";
import { type PostgresServer, startPostgresServer, withDatabase } from "@taskflow/db/testing";
import { startTestIssuer, type TestIssuer } from "@taskflow/resource-auth/testing";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiProcess, startApiProcess } from "../support/api-process.ts";
import { type LoadRecord, latency, startSteadyLoad } from "../support/steady-load.ts";

/**
 * PostgreSQL stopped under load (real PostgreSQL only: this file stops and starts a server of its
 * own). The API, run as its own process, keeps answering: readiness false, every request a quick
 * 503 problem with Retry-After, no hanging socket; when the server is back the API recovers by
 * itself, and every task whose create was answered 2xx is in the database.
 */

const audience = "http://taskflow-api.faults";
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const say = (line: string) => process.stdout.write(`[database outage] ${line}\n`);

let server: PostgresServer;
let issuer: TestIssuer;
let api: ApiProcess;
let databaseUrl: string;

beforeAll(async () => {
  server = await startPostgresServer();
  const admin = new pg.Client({ connectionString: server.url });
  await admin.connect();
  await admin.query("create database taskflow");
  await admin.end();
  databaseUrl = withDatabase(server.url, "taskflow");
  await runMigrations({ database: databaseUrl, migrationsFolder, lockId: migrationsLockId });
  issuer = await startTestIssuer({ audience });
  api = await startApiProcess({
    DATABASE_URL: databaseUrl,
    MIGRATE_ON_START: "false",
    SSO_ISSUER: issuer.issuer,
    SSO_JWKS_URL: issuer.jwksUrl,
    API_AUDIENCE: audience,
    LOG_LEVEL: "warn",
    NODE_ENV: "production",
    // Production requires it (it signs notification mail's unsubscribe links).
    NOTIFICATION_SECRET: "fault-test-notification-secret-0123456789",
    // The rate limiter stays on (it shares its counts through the database in the background, and
    // must live through what the rest lives through), with limits this load never reaches.
    RATE_LIMIT_PER_ADDRESS: "10000000",
    RATE_LIMIT_PER_CALLER: "10000000",
    SHUTDOWN_DELAY_SECONDS: "0",
  });
});

afterAll(async () => {
  await api?.stop();
  await issuer?.close();
  await server?.destroy();
});

async function readiness(): Promise<number> {
  return fetch(`${api.url}/health/ready`, { signal: AbortSignal.timeout(10_000) }).then(
    (r) => r.status,
    () => 0,
  );
}

/** Polls readiness until it answers `status`; the time it took, in ms. */
async function readinessBecomes(status: number, since: number, limitMs: number): Promise<number> {
  for (;;) {
    const got = await readiness();
    if (got === status) return performance.now() - since;
    if (api.child.exitCode !== null) throw new Error(`the API exited:\n${api.stderr()}`);
    if (performance.now() - since > limitMs) throw new Error(`readiness did not become ${status}`);
    await sleep(50);
  }
}

const describeRecord = (r: LoadRecord) =>
  `${r.operation} → ${r.error ?? r.status} in ${r.ms.toFixed(0)} ms (content-type ${r.contentType}, retry-after ${r.retryAfter})`;

describe("PostgreSQL stopped under load", () => {
  it("answers 503 with Retry-After quickly, recovers by itself, and loses no acknowledged write", async () => {
    const token = await issuer.mint({ orgId: "org-outage", sub: "outage-owner" });
    const auth = { authorization: `Bearer ${token}`, "content-type": "application/json" };
    expect((await fetch(`${api.url}/api/workers/me`, { headers: auth })).status).toBe(200);
    const created = await fetch(`${api.url}/api/projects`, {
      method: "POST",
      headers: auth,
      body: JSON.stringify({ name: "Outage" }),
    });
    expect(created.status).toBe(201);
    const project = (await created.json()) as { id: string };

    const load = startSteadyLoad({ baseUrl: api.url, token, projectId: project.id, workers: 6 });
    await sleep(3_000);

    const stoppedAt = performance.now();
    await server.stop("immediate");
    const notReadyAfter = await readinessBecomes(503, stoppedAt, 15_000);
    await sleep(6_000);
    const outageEnd = performance.now();

    const startedAt = performance.now();
    await server.start();
    const serverUpAfter = performance.now() - startedAt;
    const readyAfter = await readinessBecomes(200, startedAt, 60_000);
    await sleep(3_000);
    const records = await load.stop();

    const before = records.filter((r) => r.sentAt < stoppedAt);
    const during = records.filter((r) => r.sentAt >= stoppedAt && r.sentAt < outageEnd);
    const after = records.filter((r) => r.sentAt >= startedAt);
    const firstCreateAfter = after.find((r) => r.operation === "create" && r.status === 201);
    const acknowledged = records.flatMap((r) => (r.created ? [r.created] : []));
    const unavailable = records.filter((r) => r.status === 503);
    const failures = records.filter(
      (r) =>
        r.status === 0 ||
        (r.status >= 300 && r.status !== 503) ||
        (r.status === 503 && (r.contentType !== "application/problem+json" || !r.retryAfter)),
    );

    const fmt = (l: ReturnType<typeof latency>) =>
      `${l.count} requests, p50 ${l.p50.toFixed(1)} ms, p99 ${l.p99.toFixed(1)} ms, max ${l.max.toFixed(0)} ms`;
    say(`before the stop: ${fmt(latency(before))}`);
    say(
      `while stopped:   ${fmt(latency(during))}, ${during.filter((r) => r.status === 503).length} answered 503`,
    );
    say(`after the start: ${fmt(latency(after))}`);
    say(`readiness false ${notReadyAfter.toFixed(0)} ms after the stop`);
    say(
      `recovery: server accepting ${serverUpAfter.toFixed(0)} ms after start; API ready ${readyAfter.toFixed(0)} ms ` +
        `after start; first 201 create ${firstCreateAfter ? (firstCreateAfter.sentAt + firstCreateAfter.ms - startedAt).toFixed(0) : "never"} ms after start`,
    );
    say(`${acknowledged.length} creates answered 201, ${unavailable.length} requests answered 503`);

    for (const line of api.logs().filter((l) => typeof l.level === "number" && l.level >= 50)) {
      say(`API error: ${JSON.stringify(line.err ?? line.msg)}`);
    }
    // Every answer was a success or a well-formed 503; nothing hung, nothing was refused.
    expect(failures.map(describeRecord)).toEqual([]);
    expect(during.length).toBeGreaterThan(20);
    expect(during.filter((r) => r.status === 503).length).toBeGreaterThan(0);
    // Quick: connection attempts fail fast and pool waits are bounded (connectionTimeoutMillis 5 s).
    expect(latency(during).max).toBeLessThan(6_000);
    // It recovered by itself: the same process, answering creates again.
    expect(api.child.exitCode).toBeNull();
    expect(firstCreateAfter).toBeDefined();
    expect(after.filter((r) => r.status === 503 && r.sentAt > startedAt + readyAfter + 1_000)).toEqual([]);

    // Every create answered 201 is in the database, as it was answered.
    const check = new pg.Client({ connectionString: databaseUrl });
    await check.connect();
    const rows = await check.query<{ id: string; title: string }>(
      "select id, title from tasks where project_id = $1",
      [project.id],
    );
    await check.end();
    const stored = new Map(rows.rows.map((r) => [r.id, r.title]));
    const missing = acknowledged.filter((t) => stored.get(t.id) !== t.title);
    expect(missing).toEqual([]);

    // A database outage is a warning in the log, never an unhandled error (a 500).
    const errors = api.logs().filter((l) => typeof l.level === "number" && l.level >= 50);
    expect(errors).toEqual([]);
  });
});
