import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { createAccessTokenVerifier } from "@taskflow/resource-auth";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApi, type TestApi } from "../../api/test/support/test-api.ts";
import { createMcpApp, maxBodyBytes } from "../src/app.ts";
import { parseEnv } from "../src/env.ts";
import type { RateLimitSettings } from "../src/http/limits.ts";

const resource = "http://taskflow-mcp.test/mcp";
const initialize = {
  jsonrpc: "2.0",
  id: 1,
  method: "initialize",
  params: { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "probe", version: "1" } },
};

describe("the MCP server's limits", () => {
  let api: TestApi;
  const servers: { close(): Promise<void> }[] = [];
  let keys: string[];

  /** An MCP server replica on the API's database, with these limits (none: unlimited). */
  async function replica(rateLimits?: RateLimitSettings) {
    // The Host header must be one of ours (DNS-rebinding guard), and fetch sends the real one.
    const probe = serve({ fetch: () => new Response(null), port: 0, hostname: "127.0.0.1" });
    await new Promise<void>((resolve) => probe.once("listening", () => resolve()));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
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
      logger: pino({ level: "silent" }),
      ...(rateLimits ? { rateLimits } : {}),
    });
    const server = serve({ fetch: app.fetch, port, hostname: "127.0.0.1" });
    await new Promise<void>((resolve) => server.once("listening", () => resolve()));
    servers.push({
      close: () =>
        new Promise<void>((resolve) => {
          server.close(() => resolve());
          if ("closeAllConnections" in server) server.closeAllConnections();
        }),
    });
    const url = `http://127.0.0.1:${port}/mcp`;
    /** One JSON-RPC POST, as an MCP client sends it. */
    return (credential: string, extra: { forwardedFor?: string; body?: string } = {}) =>
      fetch(url, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          accept: "application/json, text/event-stream",
          authorization: `Bearer ${credential}`,
          ...(extra.forwardedFor ? { "x-forwarded-for": extra.forwardedFor } : {}),
        },
        body: extra.body ?? JSON.stringify(initialize),
      });
  }

  beforeAll(async () => {
    api = await startTestApi(undefined, { webhookDispatcher: false });
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
    await api?.close();
  });

  it("limits one agent key across two replicas with 429 problem+json and Retry-After", async () => {
    const settings = { windowSeconds: 60, perAddress: 0, perCaller: 4, trustedProxies: 0 };
    const [a, b] = [await replica(settings), await replica(settings)];
    const [key, other] = keys as [string, string];
    for (let i = 0; i < settings.perCaller; i++) expect((await (i % 2 ? b : a)(key)).status).toBe(200);
    for (const send of [a, b]) {
      const over = await send(key);
      expect(over.status).toBe(429);
      expect(over.headers.get("content-type")).toMatch(/^application\/problem\+json/);
      const retryAfter = Number(over.headers.get("retry-after"));
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(60);
      const body = (await over.json()) as { status: number; code: string; detail: string };
      expect(body).toMatchObject({ status: 429, code: "rate_limited" });
      expect(body.detail).toMatch(/agent key/);
    }
    expect((await b(other)).status).toBe(200);
  });

  it("limits one client address across two replicas, bad credentials included; X-Forwarded-For only from a trusted proxy", async () => {
    const trusting = { windowSeconds: 60, perAddress: 5, perCaller: 0, trustedProxies: 1 };
    const [a, b] = [await replica(trusting), await replica(trusting)];
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) {
      const send = i % 2 ? b : a;
      // A client's own X-Forwarded-For entry (left) is ignored; the proxy's (right) counts.
      const res = await send(i % 3 === 0 ? "tf_not_a_key" : (keys[1] as string), {
        forwardedFor: `198.51.100.${i}, 192.0.2.77`,
      });
      statuses.push(res.status);
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

  it("answers an oversized body with 413 problem+json", async () => {
    const send = await replica();
    const res = await send(keys[1] as string, {
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
    });
    expect(config.timeouts).toEqual({ headersMs: 20_000, requestMs: 60_000, keepAliveMs: 65_000 });
    expect(parseEnv({ TRUST_PROXY: "true", RATE_LIMIT_PER_CALLER: "0" }).rateLimits).toMatchObject({
      trustedProxies: 1,
      perCaller: 0,
    });
    expect(() => parseEnv({ RATE_LIMIT_PER_ADDRESS: "-1" })).toThrow(/RATE_LIMIT_PER_ADDRESS/);
  });
});
