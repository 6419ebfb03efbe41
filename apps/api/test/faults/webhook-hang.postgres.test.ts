import { createServer, type Server, type Socket } from "node:net";
import { schema, webhookDispatcherDefaults } from "@taskflow/core";
import { eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { latency, startSteadyLoad } from "../support/steady-load.ts";
import { startTestApi, type TestApi } from "../support/test-api.ts";

/**
 * Webhook targets that hang (real PostgreSQL: TEST_DATABASE_URL, under load): one accepts the
 * connection and never answers, one sends its headers and then never ends the body. With the
 * dispatcher's production timeout (10 s), the API's latency under steady creates and lists is the
 * same with them as without: deliveries are sent off the request path, each attempt is cut at the
 * timeout and recorded, no database connection is held while a target keeps us waiting, and no
 * more sockets are held than the dispatcher's concurrency.
 */

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const say = (line: string) => process.stdout.write(`[webhook hang] ${line}\n`);

/** A TCP server that reads requests and answers with `answer` (or nothing), keeping the socket open. */
async function hangingTarget(answer: string | null) {
  const sockets = new Set<Socket>();
  let connections = 0;
  let peak = 0;
  const server: Server = createServer((socket) => {
    connections++;
    sockets.add(socket);
    peak = Math.max(peak, sockets.size);
    socket.on("error", () => {});
    socket.on("close", () => sockets.delete(socket));
    socket.once("data", () => {
      if (answer) socket.write(answer);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    stats: () => ({ connections, open: sockets.size, peak }),
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

let api: TestApi;
const targets: Awaited<ReturnType<typeof hangingTarget>>[] = [];
beforeAll(async () => {
  if (!process.env.TEST_DATABASE_URL) {
    throw new Error("needs a PostgreSQL server in TEST_DATABASE_URL (it runs in the PostgreSQL pass)");
  }
  // The dispatcher's production timeout; quick retries so attempts pile up during the test.
  api = await startTestApi(undefined, {
    webhookDispatcher: { timeoutMs: webhookDispatcherDefaults.timeoutMs, pollIntervalMs: 500 },
  });
});
afterAll(async () => {
  await api?.close();
  for (const t of targets) await t.close();
});

describe("a webhook target that hangs", () => {
  it("does not slow the API: same latency, attempts cut at the timeout, off the request path", async () => {
    const orgId = api.newTenant();
    const owner = await api.signIn({ orgId, orgRole: "owner" });
    const project = await api.call<{ id: string }>("POST", "/api/projects", {
      token: owner.token,
      body: { name: "Hooks" },
    });
    expect(project.status).toBe(201);
    const projectId = project.body.id;
    const load = () =>
      startSteadyLoad({ baseUrl: api.baseUrl, token: owner.token, projectId, workers: 4, pauseMs: 20 });

    const baselineLoad = load();
    await sleep(4_000);
    const baseline = latency(await baselineLoad.stop());

    const silent = await hangingTarget(null);
    const trickle = await hangingTarget("HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\n\r\nstill wri");
    targets.push(silent, trickle);
    const webhookIds: string[] = [];
    for (const target of [silent, trickle]) {
      const created = await api.call<{ id: string }>("POST", `/api/projects/${projectId}/webhooks`, {
        token: owner.token,
        body: { url: target.url, events: ["*"] },
      });
      expect(created.status).toBe(201);
      webhookIds.push(created.body.id);
    }

    // Longer than the timeout, so attempts are cut and retried while the load goes on.
    const hangingLoad = load();
    await sleep(webhookDispatcherDefaults.timeoutMs + 4_000);
    const records = await hangingLoad.stop();
    const hanging = latency(records);

    const deliveries = await api.db
      .select()
      .from(schema.webhookDeliveries)
      .where(inArray(schema.webhookDeliveries.webhookId, webhookIds));
    const timedOut = deliveries.filter((d) => d.lastError?.includes("timed out"));
    const fmt = (l: typeof baseline) =>
      `${l.count} requests, p50 ${l.p50.toFixed(1)} ms, p99 ${l.p99.toFixed(1)} ms, max ${l.max.toFixed(0)} ms`;
    say(`without webhooks:      ${fmt(baseline)}`);
    say(`with 2 hanging targets: ${fmt(hanging)}`);
    say(
      `${deliveries.length} deliveries queued, ${timedOut.length} attempts cut at ${webhookDispatcherDefaults.timeoutMs} ms ` +
        `(last ${timedOut[0]?.lastDurationMs} ms); connections: silent ${JSON.stringify(silent.stats())}, ` +
        `trickle ${JSON.stringify(trickle.stats())}`,
    );

    // Every request answered, none waited on a target: a delivery on the request path would take
    // the whole 10 s timeout; the loose bound only says "not that".
    expect(records.filter((r) => r.status < 200 || r.status >= 300)).toEqual([]);
    expect(hanging.max).toBeLessThan(webhookDispatcherDefaults.timeoutMs / 4);
    // The dispatcher did try: the silent target's attempts were cut at the timeout; the trickling
    // one answered 200, so its deliveries count as delivered, and its connections were closed
    // at once instead of being held open by a body that never ends.
    expect(deliveries.length).toBeGreaterThan(20);
    const [silentId, trickleId] = webhookIds;
    expect(timedOut.filter((d) => d.webhookId === silentId).length).toBeGreaterThan(0);
    expect(
      deliveries.filter((d) => d.webhookId === trickleId && d.status === "delivered").length,
    ).toBeGreaterThan(0);
    // Held at once: never more than the dispatcher's concurrency, whatever the targets do.
    expect(silent.stats().peak).toBeLessThanOrEqual(webhookDispatcherDefaults.concurrency);
    expect(trickle.stats().peak).toBeLessThanOrEqual(webhookDispatcherDefaults.concurrency);
    await sleep(200);
    expect(trickle.stats().open).toBeLessThanOrEqual(
      webhookDispatcherDefaults.concurrency - silent.stats().open,
    );
    // Nothing else of the API waits: the readiness check still answers at once.
    const ready = await api.call("GET", "/health/ready");
    expect(ready.status).toBe(200);
    await api.db
      .update(schema.webhooks)
      .set({ active: false })
      .where(eq(schema.webhooks.projectId, projectId));
  });
});
