import { mkdtempSync } from "node:fs";
import { request } from "node:http";
import { connect, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createTaskflowTestDatabase } from "@taskflow/core/testing";
import { freePort } from "@taskflow/db/testing";
import { startTestIssuer, type TestIssuer } from "@taskflow/resource-auth/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseEnv } from "../src/env.ts";
import type { RateLimitSettings } from "../src/limits/rate-limit.ts";
import { type RunningApi, startApi } from "../src/start-api.ts";
import { fixtures } from "./support/fixtures.ts";
import { startTestApi, type TestApi } from "./support/test-api.ts";

interface ProblemBody {
  status: number;
  code: string;
  detail?: string;
  errors?: { field: string }[];
}

const isProblem = (headers: Headers) =>
  expect(headers.get("content-type")).toMatch(/^application\/problem\+json/);

describe("rate limits, counted in each replica and shared through the database", () => {
  // Replicas of the API on one database: each counts in memory and shares its counts when it syncs
  // (SharedRateLimiter). Most tests here sync by hand, so what each replica knows is exact.
  let base: TestApi;
  const extra: TestApi[] = [];
  let owner: Awaited<ReturnType<TestApi["signIn"]>>;
  let agentKeys: string[];
  let address = 0;
  /** A client address of its own for each test (these replicas trust one proxy). */
  const nextAddress = () => `203.0.113.${++address}`;
  /** Long enough that no background sync happens during a test: the test syncs when it means to. */
  const bySyncOnly = 600_000;

  /** Another replica over the same database and issuer, with these limits. */
  async function replica(rateLimits: RateLimitSettings): Promise<TestApi & { sync(): Promise<void> }> {
    const api = await startTestApi(
      { database: base.database, issuer: base.issuer },
      { rateLimits, webhookDispatcher: false },
    );
    extra.push(api);
    const limiter = api.rateLimiter;
    if (!limiter) throw new Error("the replica has no rate limiter");
    return Object.assign(api, { sync: () => limiter.sync() });
  }

  beforeAll(async () => {
    base = await startTestApi(undefined, { webhookDispatcher: false });
    owner = await base.signIn({ orgId: base.newTenant(), orgRole: "owner" });
    agentKeys = [];
    for (const handle of ["limited-one", "limited-two", "limited-three", "limited-four"]) {
      const registered = await fixtures(base).registerAgent(owner.token, handle);
      agentKeys.push(registered.apiKey.key);
    }
  });
  afterAll(async () => {
    for (const api of extra) await api.close();
    await base?.close();
  });

  it("limits one agent key exactly across two replicas in sync: 429 problem+json with Retry-After, other keys unaffected", async () => {
    const settings = {
      windowSeconds: 60,
      perAddress: 0,
      perCaller: 5,
      trustedProxies: 1,
      syncIntervalMs: bySyncOnly,
    };
    const [first, second] = [await replica(settings), await replica(settings)];
    const [key, otherKey] = agentKeys as [string, string];
    const statuses: number[] = [];
    for (let i = 0; i < settings.perCaller; i++) {
      const api = i % 2 === 0 ? first : second;
      const res = await api.call("GET", "/api/workers/me", {
        token: key,
        headers: { "x-forwarded-for": nextAddress() },
      });
      statuses.push(res.status);
      // Both views up to date after each request: the limit is exact.
      await api.sync();
      await (api === first ? second : first).sync();
    }
    expect(statuses).toEqual(Array(settings.perCaller).fill(200));
    for (const api of [first, second]) {
      const over = await api.call<ProblemBody>("GET", "/api/workers/me", {
        token: key,
        headers: { "x-forwarded-for": nextAddress() },
      });
      expect(over.status).toBe(429);
      isProblem(over.headers);
      expect(over.body.code).toBe("rate_limited");
      expect(over.body.detail).toMatch(/agent key/);
      const retryAfter = Number(over.headers.get("retry-after"));
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(settings.windowSeconds);
      // Exposed to browsers too (CORS).
      expect(over.headers.get("access-control-expose-headers") ?? "retry-after").toMatch(/retry-after/);
    }
    const other = await second.call("GET", "/api/workers/me", {
      token: otherKey,
      headers: { "x-forwarded-for": nextAddress() },
    });
    expect(other.status).toBe(200);
  });

  it("admits no more than the limit plus what the other replica admitted before they synced (the documented bound)", async () => {
    const settings = {
      windowSeconds: 60,
      perAddress: 0,
      perCaller: 10,
      trustedProxies: 1,
      syncIntervalMs: bySyncOnly,
    };
    const [first, second] = [await replica(settings), await replica(settings)];
    const key = agentKeys[2] as string;
    const send = async (api: TestApi, times: number) => {
      const statuses: number[] = [];
      for (let i = 0; i < times; i++) {
        const res = await api.call("GET", "/api/workers/me", {
          token: key,
          headers: { "x-forwarded-for": nextAddress() },
        });
        statuses.push(res.status);
      }
      return statuses.filter((s) => s === 200).length;
    };
    // One replica alone is exact: the 11th is refused before any sync.
    expect(await send(first, settings.perCaller + 1)).toBe(settings.perCaller);
    // The other has not heard of them yet: it admits on its own view, the worst case of the bound
    // (limit + what the other replica admitted unseen = 2 × limit with two replicas).
    const unseen = await send(second, 3);
    expect(unseen).toBe(3);
    // Once both have synced, each knows the total (13) and refuses.
    await first.sync();
    await second.sync();
    await first.sync();
    expect(await send(first, 1)).toBe(0);
    expect(await send(second, 1)).toBe(0);
  });

  it("syncs in the background: a replica that never saw a bucket refuses within a sync of counting it", async () => {
    const settings = {
      windowSeconds: 60,
      perAddress: 0,
      perCaller: 40,
      trustedProxies: 1,
      syncIntervalMs: 100,
    };
    const [first, second] = [await replica(settings), await replica(settings)];
    const key = agentKeys[3] as string;
    const call = (api: TestApi) =>
      api.call("GET", "/api/workers/me", { token: key, headers: { "x-forwarded-for": nextAddress() } });
    for (let i = 0; i < settings.perCaller; i++) expect((await call(first)).status).toBe(200);
    // The first replica's counts reach the database within a sync interval.
    await new Promise((resolve) => setTimeout(resolve, 500));
    // Its calls 50 ms apart, so that its 40 take about 20 sync intervals: the claim is "within a sync", and
    // back to back under a loaded CI they once took less than one sync's round trip.
    let admitted = 0;
    for (let status = (await call(second)).status; status === 200; status = (await call(second)).status) {
      admitted++;
      if (admitted > settings.perCaller) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    // Alone it would have admitted all 40; it admits only until its first sync answers.
    expect(admitted).toBeLessThan(settings.perCaller);
  });

  it("limits one client address across two replicas, whatever the credential (or none)", async () => {
    const settings = {
      windowSeconds: 60,
      perAddress: 8,
      perCaller: 0,
      trustedProxies: 1,
      syncIntervalMs: bySyncOnly,
    };
    const [first, second] = [await replica(settings), await replica(settings)];
    const client = nextAddress();
    const statuses: number[] = [];
    for (let i = 0; i < settings.perAddress + 2; i++) {
      const api = i % 2 === 0 ? first : second;
      // Bad credentials count as well: they are counted before authentication.
      const res = await api.call("GET", "/api/projects", {
        token: i % 3 === 0 ? "tf_not_a_key" : owner.token,
        headers: { "x-forwarded-for": client },
      });
      statuses.push(res.status);
      // The replica that counted shares first, then the other reads the total.
      await api.sync();
      await (api === first ? second : first).sync();
    }
    expect(statuses.slice(0, settings.perAddress).every((s) => s === 200 || s === 401)).toBe(true);
    expect(statuses.slice(settings.perAddress)).toEqual([429, 429]);
    // Another address is not affected.
    const elsewhere = await first.call("GET", "/api/projects", {
      token: owner.token,
      headers: { "x-forwarded-for": nextAddress() },
    });
    expect(elsewhere.status).toBe(200);
  });

  it("believes only the entry the trusted proxy appended: a client cannot escape by writing X-Forwarded-For", async () => {
    const settings = { windowSeconds: 60, perAddress: 8, perCaller: 0, trustedProxies: 1 };
    const first = await replica(settings);
    const client = nextAddress();
    const statuses: number[] = [];
    for (let i = 0; i < settings.perAddress + 1; i++) {
      const res = await first.call("GET", "/api/projects", {
        token: owner.token,
        // What the client wrote comes first; the proxy appends the address it saw.
        headers: { "x-forwarded-for": `198.51.100.${i}, ${client}` },
      });
      statuses.push(res.status);
    }
    expect(statuses.at(-1)).toBe(429);
  });

  it("ignores X-Forwarded-For entirely when no proxy is trusted (the socket's peer counts)", async () => {
    const direct = await replica({ windowSeconds: 60, perAddress: 3, perCaller: 0, trustedProxies: 0 });
    {
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) {
        const res = await direct.call("GET", "/health", {});
        expect(res.status).toBe(200); // health and metrics are never limited
        const api = await direct.call("GET", "/api/projects", {
          token: owner.token,
          headers: { "x-forwarded-for": `192.0.2.${i}` },
        });
        statuses.push(api.status);
      }
      expect(statuses).toEqual([200, 200, 200, 429]);
    }
  });

  it("opens again when the window ends (Retry-After is honest)", async () => {
    const quick = await replica({ windowSeconds: 2, perAddress: 0, perCaller: 2, trustedProxies: 0 });
    {
      const person = await quick.signIn({ orgId: quick.newTenant() });
      let over = await quick.call("GET", "/api/workers/me", { token: person.token });
      while (over.status === 200) over = await quick.call("GET", "/api/workers/me", { token: person.token });
      expect(over.status).toBe(429);
      const retryAfter = Number(over.headers.get("retry-after"));
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(2);
      await new Promise((resolve) => setTimeout(resolve, retryAfter * 1000 + 100));
      expect((await quick.call("GET", "/api/workers/me", { token: person.token })).status).toBe(200);
    }
  });

  it("opens a bucket's window with its first request, so the clock never splits a burst in two", async () => {
    // With windows cut from the clock (every hour on the hour here), the wait would be whatever is
    // left of the hour; a window of the bucket's own runs the whole hour from the first request.
    const hourly = await replica({ windowSeconds: 3600, perAddress: 0, perCaller: 3, trustedProxies: 0 });
    const person = await hourly.signIn({ orgId: hourly.newTenant() });
    let over = await hourly.call("GET", "/api/workers/me", { token: person.token });
    while (over.status === 200) over = await hourly.call("GET", "/api/workers/me", { token: person.token });
    expect(over.status).toBe(429);
    expect(Number(over.headers.get("retry-after"))).toBeGreaterThanOrEqual(3590);
  });
});

describe("body and page size", () => {
  let api: TestApi;
  let token: string;
  let projectId: string;
  let taskId: string;

  beforeAll(async () => {
    api = await startTestApi(undefined, { webhookDispatcher: false });
    const owner = await api.signIn({ orgId: api.newTenant(), orgRole: "owner" });
    token = owner.token;
    projectId = (await fixtures(api).createProject(token)).id;
    const task = await api.call<{ id: string }>("POST", `/api/projects/${projectId}/tasks`, {
      token,
      body: { title: "t" },
    });
    taskId = task.body.id;
  });
  afterAll(() => api?.close());

  it("answers a body over 1 MiB with 413 problem+json, announced or streamed, and creates nothing", async () => {
    const piece = "x".repeat(64 * 1024);
    const pieces = ['{"name":"big","description":"', ...Array(20).fill(piece), '"}'];
    const size = pieces.reduce((n, p) => n + p.length, 0);
    // Announced (Content-Length), and streamed in chunks without one (cut once past the limit).
    for (const announced of [true, false]) {
      const answer = await postPieces(
        `${api.baseUrl}/api/projects`,
        token,
        pieces,
        announced ? size : undefined,
      );
      expect(answer.status).toBe(413);
      expect(answer.type).toMatch(/^application\/problem\+json/);
      expect(JSON.parse(answer.body).code).toBe("payload_too_large");
    }
    const projects = await api.call<{ name: string }[]>("GET", "/api/projects", { token });
    expect(projects.body.map((p) => p.name)).not.toContain("big");
  });

  it("refuses a page size over the maximum with 400 naming query.limit, on every paged list", async () => {
    const lists = [
      [`/api/projects/${projectId}/tasks`, 100],
      [`/api/projects/${projectId}/audit`, 100],
      [`/api/tasks/${taskId}/audit`, 100],
      [`/api/tasks/${taskId}/comments`, 100],
      ["/api/tasks/recent", 100],
      ["/api/members/search?q=a&", 50],
    ] as const;
    for (const [path, max] of lists) {
      const url = (limit: number) => `${path}${path.endsWith("&") ? "" : "?"}limit=${limit}`;
      expect((await api.call("GET", url(max), { token })).status, path).toBe(200);
      for (const limit of [max + 1, 0, 1_000_000]) {
        const res = await api.call<ProblemBody>("GET", url(limit), { token });
        expect(res.status, `${path} limit=${limit}`).toBe(400);
        isProblem(res.headers);
        expect(res.body.errors?.map((e) => e.field)).toContain("query.limit");
      }
    }
  });
});

describe("the HTTP server's timeouts (node src/start-api.ts, as deployed)", () => {
  let running: RunningApi;
  let port: number;
  let issuer: TestIssuer;
  let token: string;

  beforeAll(async () => {
    port = await freePort();
    issuer = await startTestIssuer({ audience: "http://taskflow-api.timeouts" });
    token = await issuer.mint({ orgId: "org-timeouts", orgRole: "owner" });
    const database = process.env.TEST_DATABASE_URL ? await createTaskflowTestDatabase() : undefined;
    running = await startApi(
      parseEnv({
        HOST: "127.0.0.1",
        PORT: String(port),
        LOG_LEVEL: "silent",
        SHUTDOWN_DELAY_SECONDS: "0",
        TASKFLOW_DATA_DIR: mkdtempSync(join(tmpdir(), "taskflow-timeouts-")),
        ...(database?.url ? { DATABASE_URL: database.url, MIGRATE_ON_START: "false" } : {}),
        SSO_ISSUER: issuer.issuer,
        SSO_JWKS_URL: issuer.jwksUrl,
        API_AUDIENCE: "http://taskflow-api.timeouts",
        HEADERS_TIMEOUT_SECONDS: "1",
        REQUEST_TIMEOUT_SECONDS: "2",
        KEEP_ALIVE_TIMEOUT_SECONDS: "1",
      }),
    );
  });
  afterAll(async () => {
    await running?.stop();
    await issuer?.close();
  });

  it("has the defaults set explicitly", () => {
    const config = parseEnv({});
    expect(config.timeouts).toEqual({ headersMs: 20_000, requestMs: 60_000, keepAliveMs: 65_000 });
    expect(config.rateLimits).toEqual({
      windowSeconds: 60,
      perAddress: 12_000,
      perCaller: 6_000,
      trustedProxies: 0,
      syncIntervalMs: 250,
    });
    expect(parseEnv({ RATE_LIMIT_SYNC_MS: "1000" }).rateLimits.syncIntervalMs).toBe(1000);
    expect(() => parseEnv({ RATE_LIMIT_SYNC_MS: "0" })).toThrow(/RATE_LIMIT_SYNC_MS/);
    expect(parseEnv({ TRUST_PROXY: "true" }).rateLimits.trustedProxies).toBe(1);
    expect(parseEnv({ TRUST_PROXY: "2" }).rateLimits.trustedProxies).toBe(2);
    expect(() => parseEnv({ TRUST_PROXY: "yes please" })).toThrow(/TRUST_PROXY/);
    expect(() => parseEnv({ HEADERS_TIMEOUT_SECONDS: "90" })).toThrow(/HEADERS_TIMEOUT_SECONDS/);
  });

  it("cuts a client that never finishes its headers (slowloris)", async () => {
    const socket = await open(port);
    socket.write("GET /health HTTP/1.1\r\nHost: localhost\r\nX-Slow: ");
    const { ms, data } = await untilClosed(socket, 10_000);
    expect(ms).toBeLessThan(4_000);
    expect(ms).toBeGreaterThanOrEqual(900);
    // Node answers 408 when it can, or just closes.
    expect(data === "" || data.startsWith("HTTP/1.1 408")).toBe(true);
  });

  it("cuts a client that trickles its body past the request timeout", async () => {
    const socket = await open(port);
    socket.write(
      // Authenticated, so the handler waits for the body it needs.
      `POST /api/projects HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer ${token}\r\n` +
        "Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{",
    );
    const trickle = setInterval(() => socket.writable && socket.write(" "), 200);
    const { ms, data } = await untilClosed(socket, 10_000);
    clearInterval(trickle);
    expect(data === "" || data.startsWith("HTTP/1.1 408")).toBe(true);
    expect(ms).toBeLessThan(5_000);
    expect(ms).toBeGreaterThanOrEqual(1_500);
  });

  it("closes an idle keep-alive connection after the keep-alive timeout", async () => {
    const socket = await open(port);
    socket.write("GET /health HTTP/1.1\r\nHost: localhost\r\nConnection: keep-alive\r\n\r\n");
    const started = performance.now();
    const { data } = await untilClosed(socket, 10_000);
    const ms = performance.now() - started;
    expect(data).toMatch(/^HTTP\/1.1 200/);
    expect(ms).toBeGreaterThanOrEqual(900);
    expect(ms).toBeLessThan(4_000);
  });
});

/**
 * POSTs a body piece by piece over a connection of its own (node:http): the answer may come while
 * the client is still sending, and the server then closes the connection.
 */
function postPieces(
  url: string,
  token: string,
  pieces: string[],
  contentLength?: number,
): Promise<{ status: number; type: string; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, {
      method: "POST",
      agent: false,
      headers: {
        authorization: `Bearer ${token}`,
        "content-type": "application/json",
        ...(contentLength !== undefined ? { "content-length": String(contentLength) } : {}),
      },
    });
    req.on("response", (res) => {
      let body = "";
      res.on("data", (chunk) => {
        body += chunk;
      });
      res.on("end", () =>
        resolve({ status: res.statusCode ?? 0, type: String(res.headers["content-type"]), body }),
      );
    });
    // Writing after the server answered and closed fails; the answer is what counts.
    req.on("error", (error) => (req.writableEnded ? undefined : reject(error)));
    let next = 0;
    const pump = () => {
      while (next < pieces.length - 1 && !req.destroyed) {
        if (!req.write(pieces[next++])) return void req.once("drain", pump);
      }
      if (!req.destroyed) req.end(pieces[next]);
    };
    pump();
  });
}

function open(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1", () => resolve(socket));
    socket.once("error", reject);
  });
}

/** Waits until the server closes the socket; how long it took and what it sent. */
function untilClosed(socket: Socket, capMs: number): Promise<{ ms: number; data: string }> {
  const started = performance.now();
  let data = "";
  socket.on("data", (chunk) => {
    data += chunk.toString();
  });
  return new Promise((resolve, reject) => {
    const cap = setTimeout(() => {
      socket.destroy();
      reject(new Error(`the server kept the connection open for ${capMs} ms`));
    }, capMs);
    socket.once("close", () => {
      clearTimeout(cap);
      resolve({ ms: performance.now() - started, data });
    });
    socket.on("error", () => undefined);
  });
}
