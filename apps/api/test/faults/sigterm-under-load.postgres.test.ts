import { createTaskflowTestDatabase } from "@taskflow/core/testing";
import { startTestIssuer, type TestIssuer } from "@taskflow/resource-auth/testing";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiProcess, startApiProcess } from "../support/api-process.ts";
import { latency, startSteadyLoad } from "../support/steady-load.ts";

/**
 * SIGTERM under load (real PostgreSQL: TEST_DATABASE_URL). A load balancer, played by this test,
 * keeps sending creates and lists until two seconds after it sees readiness turn false (a probe
 * period, as with Kubernetes); the API keeps serving for SHUTDOWN_DELAY_SECONDS meanwhile. Every request sent before the balancer took
 * the API out of rotation is answered in full, every acknowledged create is stored, exit code 0.
 */

const audience = "http://taskflow-api.sigterm";
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const say = (line: string) => process.stdout.write(`[sigterm under load] ${line}\n`);

let database: Awaited<ReturnType<typeof createTaskflowTestDatabase>>;
let issuer: TestIssuer;
let api: ApiProcess;

beforeAll(async () => {
  if (!process.env.TEST_DATABASE_URL) {
    throw new Error("needs a PostgreSQL server in TEST_DATABASE_URL (it runs in the PostgreSQL pass)");
  }
  database = await createTaskflowTestDatabase();
  issuer = await startTestIssuer({ audience });
  api = await startApiProcess({
    DATABASE_URL: database.url as string,
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
    SHUTDOWN_DELAY_SECONDS: "3",
  });
});

afterAll(async () => {
  if (api && api.child.exitCode === null) api.child.kill("SIGKILL");
  await issuer?.close();
  await database?.close();
});

describe("SIGTERM under load", () => {
  it("answers every request sent before readiness turned false, stores every acknowledged create, exits 0", async () => {
    const token = await issuer.mint({ orgId: "org-sigterm", sub: "sigterm-owner" });
    const auth = { authorization: `Bearer ${token}`, "content-type": "application/json" };
    expect((await fetch(`${api.url}/api/workers/me`, { headers: auth })).status).toBe(200);
    const project = (await (
      await fetch(`${api.url}/api/projects`, {
        method: "POST",
        headers: auth,
        body: JSON.stringify({ name: "Drain" }),
      })
    ).json()) as { id: string };

    // Half the clients keep connections alive, half open one per request, as many clients do.
    const kept = startSteadyLoad({ baseUrl: api.url, token, projectId: project.id, workers: 4 });
    const fresh = startSteadyLoad({
      baseUrl: api.url,
      token,
      projectId: project.id,
      workers: 4,
      headers: { connection: "close" },
    });
    await sleep(2_000);

    const signalledAt = performance.now();
    api.child.kill("SIGTERM");
    // The balancer's probe: once readiness answers anything but 200, no new request is routed.
    let probes = 0;
    for (;;) {
      probes++;
      const status = await fetch(`${api.url}/health/ready`).then(
        (r) => r.status,
        () => 0,
      );
      if (status !== 200) break;
      await sleep(100);
    }
    const notReadyAt = performance.now();
    // Endpoints are updated a probe period or two later: traffic keeps coming meanwhile, which
    // is what SHUTDOWN_DELAY_SECONDS (3 here) is for.
    await sleep(2_000);
    const outOfRotationAt = performance.now();
    const records = [...(await kept.stop()), ...(await fresh.stop())];
    const exitCode = await api.exited;
    const exitedAt = performance.now();

    const afterSignal = records.filter((r) => r.sentAt >= signalledAt);
    const failed = records.filter((r) => r.status < 200 || r.status >= 300);
    const acknowledged = records.flatMap((r) => (r.created ? [r.created] : []));
    const l = latency(records);
    say(
      `${records.length} requests (${afterSignal.length} sent after SIGTERM), p50 ${l.p50.toFixed(1)} ms, ` +
        `p99 ${l.p99.toFixed(1)} ms, max ${l.max.toFixed(0)} ms; ${failed.length} failed`,
    );
    say(
      `readiness false ${(notReadyAt - signalledAt).toFixed(0)} ms after SIGTERM (${probes} probes), ` +
        `traffic stopped after ${(outOfRotationAt - signalledAt).toFixed(0)} ms, ` +
        `exit ${exitCode} ${(exitedAt - signalledAt).toFixed(0)} ms after SIGTERM`,
    );

    expect(failed.map((r) => `${r.operation} → ${r.error ?? r.status} after ${r.ms.toFixed(0)} ms`)).toEqual(
      [],
    );
    expect(afterSignal.length).toBeGreaterThan(0);
    expect(exitCode).toBe(0);

    const check = new pg.Client({ connectionString: database.url as string });
    await check.connect();
    const rows = await check.query<{ id: string; title: string }>(
      "select id, title from tasks where project_id = $1",
      [project.id],
    );
    await check.end();
    const stored = new Map(rows.rows.map((r) => [r.id, r.title]));
    expect(acknowledged.filter((t) => stored.get(t.id) !== t.title)).toEqual([]);
    expect(api.logs().filter((line) => typeof line.level === "number" && line.level >= 50)).toEqual([]);
  });
});
