import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import {
  Client as ModernClient,
  StreamableHTTPClientTransport as ModernHttpTransport,
} from "@modelcontextprotocol/client";
import { StdioClientTransport as ModernStdioTransport } from "@modelcontextprotocol/client/stdio";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { createAccessTokenVerifier, type RevokedSubjects } from "@taskflow/resource-auth";
import { pino } from "pino";
import { startTestApi, subjectRevoked, testAudience } from "../../../api/test/support/test-api.ts";
import { createMcpApp } from "../../src/app.ts";
import { type RateLimitSettings, startRateLimits } from "../../src/http/limits.ts";

export const mcpResource = "http://taskflow-mcp.test/mcp";

/**
 * The protocol eras a test client can speak: 2025-11-25 through the v1 SDK's client (what clients of that era
 * run), 2026-07-28 through the v2 SDK's client, pinned to it (`server/discover`, the per-request envelope).
 */
export const eras = ["2025-11-25", "2026-07-28"] as const;
export type Era = (typeof eras)[number];

/**
 * How a client reaches the server: Streamable HTTP, or the stdio bin as an agent's machine runs it (relaying
 * to this server's `/mcp` with the credential: src/stdio-bridge.ts).
 */
export type Via = "http" | "stdio";

const bin = new URL("../../bin/taskflow-mcp.js", import.meta.url).pathname;

/** The v2 SDK client pinned to 2026-07-28: it probes with `server/discover` and fails rather than fall back. */
export function modernClient(name = "taskflow-test-agent") {
  return new ModernClient(
    { name, version: "1.0.0" },
    { versionNegotiation: { mode: { pin: "2026-07-28" } } },
  );
}

/**
 * The MCP server on a loopback port and the REST API on another, over one test database: what
 * agents do through MCP, people see through REST, and the other way round.
 */
export async function startTestMcp(
  options: {
    extraAllowedHosts?: string[];
    delegationMaxDepth?: number;
    /** `subscriptions/listen` streams one caller may hold (LISTENS_PER_CALLER). */
    listensPerCaller?: number;
    rateLimits?: RateLimitSettings;
    /** The SSO's revocation feed, read by both servers as start-api and start-mcp wire it. */
    revokedSubjects?: Pick<RevokedSubjects, "isRevoked">;
  } = {},
) {
  const revokedSubjects = options.revokedSubjects ? { revokedSubjects: options.revokedSubjects } : {};
  // One DELEGATION_MAX_DEPTH for both servers, as the chart sets it.
  const api = await startTestApi(undefined, {
    ...(options.delegationMaxDepth ? { delegationMaxDepth: options.delegationMaxDepth } : {}),
    ...revokedSubjects,
  });
  const probe = serve({ fetch: () => new Response(null), port: 0, hostname: "127.0.0.1" });
  await new Promise<void>((resolve) => probe.once("listening", () => resolve()));
  const port = (probe.address() as AddressInfo).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  const logger = pino({ level: "silent" });
  const rateLimits = options.rateLimits && startRateLimits(api.db, options.rateLimits, logger);
  const app = createMcpApp({
    config: {
      resourceUrl: mcpResource,
      allowedHosts: [`127.0.0.1:${port}`, `localhost:${port}`, ...(options.extraAllowedHosts ?? [])],
      allowedOrigins: ["http://dashboard.test"],
      sso: { issuer: api.issuer.issuer },
      ...(options.delegationMaxDepth ? { delegationMaxDepth: options.delegationMaxDepth } : {}),
      ...(options.listensPerCaller ? { listensPerCaller: options.listensPerCaller } : {}),
    },
    db: api.db,
    ping: api.database.ping,
    verifyAccessToken: createAccessTokenVerifier({
      issuer: api.issuer.issuer,
      jwksUrl: api.issuer.jwksUrl,
      audience: mcpResource,
      ...revokedSubjects,
    }),
    ...subjectRevoked(revokedSubjects),
    logger,
    ...(rateLimits ? { rateLimits } : {}),
    // The API's hub: both servers hear the database's notifications, as each replica does.
    events: api.events,
  });
  const server = serve({ fetch: app.fetch, port, hostname: "127.0.0.1" });
  await new Promise<void>((resolve) => server.once("listening", () => resolve()));
  const mcpUrl = `http://127.0.0.1:${port}/mcp`;

  /** A real MCP SDK client with a bearer credential, speaking the era asked for, over HTTP or stdio. */
  async function connect(credential: string, era: Era = "2025-11-25", via: Via = "http") {
    const requestInit = { headers: { authorization: `Bearer ${credential}` } };
    // The bin as /connect hands it out: only PATH, the credential and this server's URL.
    const stdio = {
      command: process.execPath,
      args: [bin],
      env: { PATH: process.env.PATH ?? "", TASKFLOW_API_KEY: credential, TASKFLOW_MCP_URL: mcpUrl },
      stderr: "ignore" as const,
    };
    const client =
      era === "2026-07-28" ? modernClient() : new Client({ name: "taskflow-test-agent", version: "1.0.0" });
    if (client instanceof ModernClient) {
      await client.connect(
        via === "stdio"
          ? new ModernStdioTransport(stdio)
          : new ModernHttpTransport(new URL(mcpUrl), { requestInit }),
      );
    } else {
      await client.connect(
        via === "stdio"
          ? new StdioClientTransport(stdio)
          : new StreamableHTTPClientTransport(new URL(mcpUrl), { requestInit }),
      );
    }
    return {
      client,
      /** Calls a tool; returns its structured result, or the error text for isError results. */
      call: async <T = Record<string, unknown>>(name: string, args: Record<string, unknown> = {}) => {
        const result = (await client.callTool({ name, arguments: args })) as CallToolResult;
        const text = result.content.map((c) => (c.type === "text" ? c.text : "")).join("\n");
        return { isError: result.isError === true, text, data: result.structuredContent as T };
      },
      close: () => client.close(),
    };
  }

  /** An organization with an owner, a project and two agents who are members of it. */
  async function organization() {
    const tenant = api.newTenant();
    const owner = await api.signIn({ orgId: tenant, orgRole: "owner" });
    const project = (
      await api.call<{ id: string }>("POST", "/api/projects", {
        token: owner.token,
        body: { name: "Agents at work" },
      })
    ).body;
    const agent = async (handle: string) => {
      const registered = await api.call<{ agent: { id: string }; apiKey: { key: string; id: string } }>(
        "POST",
        "/api/agents",
        {
          token: owner.token,
          body: { handle, name: handle, agentType: "claude-code", capabilities: ["code"] },
        },
      );
      await api.call("POST", `/api/projects/${project.id}/members`, {
        token: owner.token,
        body: { workerId: registered.body.agent.id, role: "member" },
      });
      return {
        id: registered.body.agent.id,
        key: registered.body.apiKey.key,
        keyId: registered.body.apiKey.id,
      };
    };
    return { tenant, owner, project, agent };
  }

  /** A person's OAuth access token for this MCP server (audience = the MCP resource). */
  const personToken = (orgId: string, sub: string, scope = "openid taskflow:read taskflow:write") =>
    api.issuer.mint({ orgId, sub, orgRole: "owner", audience: mcpResource, extra: { scope } });

  return {
    api,
    mcpUrl,
    port,
    connect,
    organization,
    personToken,
    restAudience: testAudience,
    close: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        if ("closeAllConnections" in server) server.closeAllConnections();
      });
      await rateLimits?.limiter.stop();
      await api.close();
    },
  };
}

export type TestMcp = Awaited<ReturnType<typeof startTestMcp>>;
