import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { migrationsFolder, migrationsLockId, schema } from "@taskflow/core";
import { openDatabase, runMigrations } from "@taskflow/db";
import { type PostgresServer, startPostgresServer, withDatabase } from "@taskflow/db/testing";
import { startTestIssuer, type TestIssuer } from "@taskflow/resource-auth/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type McpProcess, startMcpProcess } from "../support/mcp-process.ts";
import { mcpHeaders, seedAgent, toolCall } from "../support/seed-agent.ts";

/**
 * PostgreSQL stopped and started again under the MCP server (real PostgreSQL only: this file runs a
 * server of its own). Run as the chart runs it, the MCP server answers every request that needs
 * the database 503 problem+json with Retry-After (never a 500, never a hang), readiness turns false
 * while liveness stays up, and it recovers by itself. Over stdio, a tool says the database is
 * unreachable and to try again.
 */

const resource = "http://taskflow-mcp.faults/mcp";
const bin = new URL("../../bin/taskflow-mcp.js", import.meta.url).pathname;

let server: PostgresServer;
let issuer: TestIssuer;
let mcp: McpProcess;
let stdio: Client;
let agent: Awaited<ReturnType<typeof seedAgent>>;
let personToken: string;

beforeAll(async () => {
  server = await startPostgresServer();
  const admin = await openDatabase({ kind: "postgres", url: server.url }, schema);
  await admin.pool?.query("create database taskflow");
  await admin.close();
  const databaseUrl = withDatabase(server.url, "taskflow");
  await runMigrations({ database: databaseUrl, migrationsFolder, lockId: migrationsLockId });
  const seed = await openDatabase({ kind: "postgres", url: databaseUrl }, schema);
  agent = await seedAgent(seed.db, "org-outage");
  await seed.close();
  issuer = await startTestIssuer({ audience: resource });
  personToken = await issuer.mint({ orgId: "org-outage", sub: "owner", audience: resource });
  mcp = await startMcpProcess({
    DATABASE_URL: databaseUrl,
    NODE_ENV: "production",
    LOG_LEVEL: "warn",
    SSO_ISSUER: issuer.issuer,
    SSO_JWKS_URL: issuer.jwksUrl,
    MCP_RESOURCE_URL: resource,
    SHUTDOWN_DELAY_SECONDS: "0",
    // The rate limiter stays on: it counts in the database on every request, and must fail as
    // the rest does.
  });
  stdio = new Client({ name: "outage-stdio", version: "1.0.0" });
  await stdio.connect(
    new StdioClientTransport({
      command: process.execPath,
      args: [bin],
      env: { PATH: process.env.PATH ?? "", DATABASE_URL: databaseUrl, TASKFLOW_API_KEY: agent.key },
      stderr: "pipe",
    }),
  );
});

afterAll(async () => {
  await stdio?.close();
  await mcp?.stop();
  await issuer?.close();
  await server?.destroy();
});

const readiness = () =>
  fetch(`${mcp.url}/health/ready`).then(async (r) => ({ status: r.status, body: await r.json() }));

async function readinessBecomes(status: number) {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const answer = await readiness();
    if (answer.status === status) return answer;
    if (mcp.child.exitCode !== null) throw new Error(`the MCP server exited:\n${mcp.stderr()}`);
    if (Date.now() > deadline) throw new Error(`readiness did not become ${status}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const callOverHttp = (credential: string) =>
  fetch(`${mcp.url}/mcp`, {
    method: "POST",
    headers: mcpHeaders(credential),
    body: toolCall("taskflow_list_projects"),
    signal: AbortSignal.timeout(15_000),
  });

async function callOverStdio() {
  const result = (await stdio.callTool({ name: "taskflow_list_projects", arguments: {} })) as CallToolResult;
  const text = result.content.map((c) => (c.type === "text" ? c.text : "")).join("\n");
  return { isError: result.isError === true, text };
}

describe("PostgreSQL stopped under the MCP server", () => {
  it("answers 503 problem+json with Retry-After, readiness false, and recovers by itself", async () => {
    for (const credential of [agent.key, personToken])
      expect((await callOverHttp(credential)).status).toBe(200);
    expect((await callOverStdio()).isError).toBe(false);

    await server.stop("immediate");
    const notReady = await readinessBecomes(503);
    expect(notReady.body).toMatchObject({ status: "unavailable", checks: { database: "unreachable" } });
    // Liveness does not ask the database: nothing restarts a process that will recover.
    expect((await fetch(`${mcp.url}/health`)).status).toBe(200);

    for (const credential of [agent.key, personToken]) {
      const refused = await callOverHttp(credential);
      expect(refused.status).toBe(503);
      expect(refused.headers.get("content-type")).toMatch(/^application\/problem\+json/);
      expect(refused.headers.get("retry-after")).toBe("5");
      expect(await refused.json()).toMatchObject({ status: 503, code: "unavailable" });
    }
    const overStdio = await callOverStdio();
    expect(overStdio.isError).toBe(true);
    expect(overStdio.text).toMatch(/database cannot be reached.*try again/i);

    await server.start();
    await readinessBecomes(200);
    for (const credential of [agent.key, personToken]) {
      const served = await callOverHttp(credential);
      expect(served.status).toBe(200);
      const body = (await served.json()) as { result: { isError?: boolean } };
      expect(body.result.isError).toBeFalsy();
    }
    expect(await callOverStdio()).toMatchObject({ isError: false });

    // The same process throughout, and an outage is a warning in its log, never an unhandled error.
    expect(mcp.child.exitCode).toBeNull();
    expect(mcp.logs().filter((line) => typeof line.level === "number" && line.level >= 50)).toEqual([]);
    expect(mcp.logs().some((line) => line.msg === "database unavailable")).toBe(true);
  });
});
