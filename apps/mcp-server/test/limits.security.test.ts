import { randomUUID } from "node:crypto";
import { type AddressInfo, connect, type Socket } from "node:net";
import { serve } from "@hono/node-server";
import { StreamableHTTPClientTransport as ModernHttpTransport } from "@modelcontextprotocol/client";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { createAccessTokenVerifier } from "@taskflow/resource-auth";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApi, type TestApi } from "../../api/test/support/test-api.ts";
import { createMcpApp, maxBodyBytes } from "../src/app.ts";
import { parseEnv } from "../src/env.ts";
import { type RateLimitSettings, startRateLimits } from "../src/http/limits.ts";
import { type RunningMcp, startMcp } from "../src/start-mcp.ts";
import { type JsonRpcMessage, postInEra } from "./support/era-requests.ts";
import { freePort } from "./support/mcp-process.ts";
import { type Era, eras, modernClient } from "./support/test-mcp.ts";

const resource = "http://taskflow-mcp.test/mcp";
const initialize = {
  jsonrpc: "2.0",
  id: 1,
  method: "initialize",
  params: { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "probe", version: "1" } },
};

// One API (and its database) for the file: every MCP server here runs on it.
let api: TestApi;
beforeAll(async () => {
  api = await startTestApi(undefined, { webhookDispatcher: false });
});
afterAll(() => api?.close());

describe("the MCP server's limits", () => {
  const servers: { close(): Promise<void> }[] = [];
  let keys: string[];

  /**
   * An MCP server replica on the API's database, with these limits (none: unlimited): a function that
   * POSTs to it, and `sync` to share its counts now.
   */
  async function replica(settings?: RateLimitSettings) {
    // The Host header must be one of ours (DNS-rebinding guard), and fetch sends the real one.
    const probe = serve({ fetch: () => new Response(null), port: 0, hostname: "127.0.0.1" });
    await new Promise<void>((resolve) => probe.once("listening", () => resolve()));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const logger = pino({ level: "silent" });
    const rateLimits = settings && startRateLimits(api.db, settings, logger);
    const app = createMcpApp({
      config: {
        resourceUrl: resource,
        allowedHosts: [`127.0.0.1:${port}`],
        allowedOrigins: [],
        sso: { issuer: api.issuer.issuer },
      },
      db: api.db,
      ping: api.database.ping,
      verifyAccessToken: createAccessTokenVerifier({
        issuer: api.issuer.issuer,
        jwksUrl: api.issuer.jwksUrl,
        audience: resource,
      }),
      logger,
      ...(rateLimits ? { rateLimits } : {}),
    });
    const server = serve({ fetch: app.fetch, port, hostname: "127.0.0.1" });
    await new Promise<void>((resolve) => server.once("listening", () => resolve()));
    servers.push({
      close: async () => {
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          if ("closeAllConnections" in server) server.closeAllConnections();
        });
        await rateLimits?.limiter.stop();
      },
    });
    const url = `http://127.0.0.1:${port}/mcp`;
    /** One JSON-RPC POST, as an MCP client of the era sends its first request (2025-11-25 unless said). */
    const send = (credential: string, extra: { forwardedFor?: string; body?: string; era?: Era } = {}) => {
      const era = extra.era ?? "2025-11-25";
      const hello: JsonRpcMessage =
        era === "2026-07-28"
          ? { id: 1, method: "server/discover" }
          : { id: 1, method: "initialize", params: initialize.params };
      return postInEra(url, era, hello, {
        credential,
        headers: extra.forwardedFor ? { "x-forwarded-for": extra.forwardedFor } : {},
        ...(extra.body ? { body: extra.body } : {}),
      });
    };
    return Object.assign(send, { sync: () => rateLimits?.limiter.sync() ?? Promise.resolve() });
  }

  beforeAll(async () => {
    const owner = await api.signIn({ orgId: api.newTenant(), orgRole: "owner" });
    keys = [];
    for (const handle of ["mcp-limited-one", "mcp-limited-two"]) {
      const res = await api.call<{ apiKey: { key: string } }>("POST", "/api/agents", {
        token: owner.token,
        body: { handle, name: handle, agentType: "claude-code" },
      });
      expect(res.status).toBe(201);
      keys.push(res.body.apiKey.key);
    }
  });
  afterAll(async () => {
    for (const s of servers) await s.close();
  });

  // Each replica counts in memory and shares its counts when it syncs: here by hand (the interval is
  // longer than the test), so what each replica knows is exact.
  const bySyncOnly = 600_000;

  /** Two agent keys of their own: each era's run of a limit starts from an empty count. */
  async function freshKeys(label: string): Promise<[string, string]> {
    const owner = await api.signIn({ orgId: api.newTenant(), orgRole: "owner" });
    const issued: string[] = [];
    for (const n of [1, 2]) {
      const handle = `mcp-limited-${label}-${n}`;
      const res = await api.call<{ apiKey: { key: string } }>("POST", "/api/agents", {
        token: owner.token,
        body: { handle, name: handle, agentType: "claude-code" },
      });
      expect(res.status).toBe(201);
      issued.push(res.body.apiKey.key);
    }
    return issued as [string, string];
  }

  it.each(eras)(
    "limits one agent key across two replicas once their counts are shared, with 429 problem+json and Retry-After (%s)",
    async (era) => {
      const settings = {
        windowSeconds: 60,
        perAddress: 0,
        perCaller: 4,
        trustedProxies: 0,
        syncIntervalMs: bySyncOnly,
      };
      const [a, b] = [await replica(settings), await replica(settings)];
      const [key, other] = await freshKeys(era.replaceAll("-", ""));
      for (let i = 0; i < settings.perCaller; i++) {
        const send = i % 2 ? b : a;
        expect((await send(key, { era })).status).toBe(200);
        await send.sync();
        await (send === a ? b : a).sync();
      }
      for (const send of [a, b]) {
        const over = await send(key, { era });
        expect(over.status).toBe(429);
        expect(over.headers.get("content-type")).toMatch(/^application\/problem\+json/);
        const retryAfter = Number(over.headers.get("retry-after"));
        expect(retryAfter).toBeGreaterThanOrEqual(1);
        expect(retryAfter).toBeLessThanOrEqual(60);
        const body = (await over.json()) as { status: number; code: string; detail: string };
        expect(body).toMatchObject({ status: 429, code: "rate_limited" });
        expect(body.detail).toMatch(/agent key/);
      }
      expect((await b(other, { era })).status).toBe(200);
    },
  );

  it("limits one client address across two replicas, bad credentials included; X-Forwarded-For only from a trusted proxy", async () => {
    const trusting = {
      windowSeconds: 60,
      perAddress: 5,
      perCaller: 0,
      trustedProxies: 1,
      syncIntervalMs: bySyncOnly,
    };
    const [a, b] = [await replica(trusting), await replica(trusting)];
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) {
      const send = i % 2 ? b : a;
      // A client's own X-Forwarded-For entry (left) is ignored; the proxy's (right) counts.
      const res = await send(i % 3 === 0 ? "tf_not_a_key" : (keys[1] as string), {
        forwardedFor: `198.51.100.${i}, 192.0.2.77`,
      });
      statuses.push(res.status);
      // The replica that counted shares first, then the other reads the total.
      await send.sync();
      await (send === a ? b : a).sync();
    }
    expect(statuses.slice(0, 5).every((s) => s === 200 || s === 401)).toBe(true);
    expect(statuses.slice(5)).toEqual([429, 429]);
    expect((await a(keys[1] as string, { forwardedFor: "192.0.2.78" })).status).toBe(200);

    // Trusting no proxy: the socket's peer counts, whatever the header says.
    const direct = await replica({ windowSeconds: 60, perAddress: 2, perCaller: 0, trustedProxies: 0 });
    const direct2 = [];
    for (let i = 0; i < 3; i++) {
      direct2.push((await direct(keys[1] as string, { forwardedFor: `203.0.113.${i}` })).status);
    }
    expect(direct2).toEqual([200, 200, 429]);
  });

  it.each(eras)("answers an oversized body with 413 problem+json (%s)", async (era) => {
    const send = await replica();
    const res = await send(keys[1] as string, {
      era,
      body: JSON.stringify({ ...initialize, padding: "x".repeat(maxBodyBytes) }),
    });
    expect(res.status).toBe(413);
    expect(res.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    expect(await res.json()).toMatchObject({ status: 413, code: "payload_too_large" });
  });

  it("reads its limits and timeouts from the environment, with explicit defaults", () => {
    const config = parseEnv({});
    expect(config.rateLimits).toEqual({
      windowSeconds: 60,
      perAddress: 12_000,
      perCaller: 6_000,
      trustedProxies: 0,
      syncIntervalMs: 250,
    });
    expect(config.timeouts).toEqual({ headersMs: 20_000, requestMs: 60_000, keepAliveMs: 65_000 });
    expect(parseEnv({ TRUST_PROXY: "true", RATE_LIMIT_PER_CALLER: "0" }).rateLimits).toMatchObject({
      trustedProxies: 1,
      perCaller: 0,
    });
    expect(() => parseEnv({ RATE_LIMIT_PER_ADDRESS: "-1" })).toThrow(/RATE_LIMIT_PER_ADDRESS/);
  });
});

describe("the MCP server's timeouts and page sizes, on the server as it runs", () => {
  let running: RunningMcp;
  let port: number;
  let key: string;

  beforeAll(async () => {
    const owner = await api.signIn({ orgId: api.newTenant(), orgRole: "owner" });
    const registered = await api.call<{ apiKey: { key: string } }>("POST", "/api/agents", {
      token: owner.token,
      body: { handle: "mcp-pager", name: "Pager", agentType: "claude-code" },
    });
    key = registered.body.apiKey.key;
    port = await freePort();
    // startMcp, as server.ts runs it (its HTTP server with its timeouts), on the API's database.
    running = await startMcp(
      parseEnv({
        HOST: "127.0.0.1",
        PORT: String(port),
        LOG_LEVEL: "silent",
        ALLOWED_HOSTS: `127.0.0.1:${port}`,
        SSO_ISSUER: api.issuer.issuer,
        SSO_JWKS_URL: api.issuer.jwksUrl,
        MCP_RESOURCE_URL: resource,
        // Only the headers timeout is short: nothing else could cut a connection within the cap.
        HEADERS_TIMEOUT_SECONDS: "1",
        SHUTDOWN_DELAY_SECONDS: "0",
        // Its LISTEN connection (ask-and-wait's wake-ups) goes to the same server as the shared pool.
        ...(api.database.url ? { DATABASE_URL: api.database.url } : {}),
      }),
      api.database,
    );
  });
  afterAll(async () => {
    await running?.stop();
  });

  it("cuts a client that never finishes its headers (slowloris)", async () => {
    const socket = await new Promise<Socket>((resolve, reject) => {
      const s = connect(port, "127.0.0.1", () => resolve(s));
      s.once("error", reject);
    });
    socket.write(`POST /mcp HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAuthorization: Bearer ${key}\r\nX-Slow: `);
    const { closedByServer, data } = await untilClosed(socket, 10_000);
    expect(closedByServer).toBe(true);
    // Node answers 408 when it can, or just closes.
    expect(data === "" || data.startsWith("HTTP/1.1 408")).toBe(true);
  });

  it.each(eras)(
    "refuses a page size over the maximum with an isError result naming the field (%s)",
    async (era) => {
      const client =
        era === "2026-07-28" ? modernClient("pager") : new Client({ name: "pager", version: "1.0.0" });
      const url = new URL(`${running.url}/mcp`);
      const requestInit = { headers: { authorization: `Bearer ${key}` } };
      if (client instanceof Client)
        await client.connect(new StreamableHTTPClientTransport(url, { requestInit }));
      else await client.connect(new ModernHttpTransport(url, { requestInit }));
      for (const [name, args] of [
        ["taskflow_list_tasks", { projectId: randomUUID(), limit: 101 }],
        ["taskflow_task_audit", { taskId: randomUUID(), limit: 101 }],
        ["taskflow_project_audit", { projectId: randomUUID(), limit: 1000 }],
        ["taskflow_find_workers", { q: "someone", limit: 51 }],
      ] as const) {
        const result = (await client.callTool({ name, arguments: args })) as CallToolResult;
        expect(result.isError, name).toBe(true);
        const text = result.content.map((c) => (c.type === "text" ? c.text : "")).join("\n");
        expect(text, name).toMatch(/limit/);
        expect(text, name).toMatch(/too big|<=|maximum|at most/i);
      }
      await client.close();
    },
  );
});

/** Waits until the socket closes: whether the server closed it (not our cap), and what it sent. */
function untilClosed(socket: Socket, capMs: number): Promise<{ closedByServer: boolean; data: string }> {
  let data = "";
  socket.on("data", (chunk) => {
    data += chunk.toString();
  });
  socket.on("error", () => undefined);
  return new Promise((resolve) => {
    const cap = setTimeout(() => {
      socket.destroy();
      resolve({ closedByServer: false, data });
    }, capMs);
    socket.once("close", () => {
      clearTimeout(cap);
      resolve({ closedByServer: true, data });
    });
  });
}
