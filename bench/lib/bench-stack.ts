import { randomUUID } from "node:crypto";
import { createServer } from "node:net";
import { migrationsFolder, migrationsLockId } from "@taskflow/core";
import { runMigrations } from "@taskflow/db";
import { withDatabase } from "@taskflow/db/testing";
import { startTestIssuer } from "@taskflow/resource-auth/testing";
import pg from "pg";
import { startChildService } from "./child-service.ts";

export const say = (message: string) => process.stdout.write(`${message}\n`);

export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

/** The PostgreSQL server benchmarks run on; they refuse to run on anything else. */
export function benchServerUrl(): string {
  const url = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
  if (!url) {
    process.stderr.write(
      "set BENCH_DATABASE_URL (or TEST_DATABASE_URL) to a PostgreSQL server; scripts/throwaway-postgres.sh starts one\n",
    );
    process.exit(2);
  }
  return url;
}

/**
 * A fresh database on the benchmark server, the API as its own process on it (as in production:
 * NODE_ENV=production, logs off), and an issuer whose tokens the API accepts.
 */
export async function startBenchStack(
  options: {
    mcp?: boolean;
    /** The API process's extra node flags and stdout reader (see startChildService). */
    api?: { nodeArgs?: string[]; onStdout?: (text: string) => void };
    /**
     * `production`: the rate limits as users run them (the defaults, per address and per caller) behind one
     * proxy (TRUST_PROXY=1, as the chart sets with an ingress): each simulated client sends its own
     * X-Forwarded-For. Left out: no limits (benchmarks send far more than one client may).
     */
    rateLimits?: "production";
  } = {},
) {
  const serverUrl = benchServerUrl();
  const name = `tf_bench_${randomUUID().slice(0, 8)}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`create database "${name}"`);
  const databaseUrl = withDatabase(serverUrl, name);
  say(`database ${name}: migrating`);
  await runMigrations({ database: databaseUrl, migrationsFolder, lockId: migrationsLockId });
  const version = (await admin.query("show server_version")).rows[0]?.server_version as string;

  const audience = "http://taskflow-api.bench";
  const mcpResource = "http://taskflow-mcp.bench/mcp";
  const issuer = await startTestIssuer({ audience });
  const common = {
    HOST: "127.0.0.1",
    DATABASE_URL: databaseUrl,
    SSO_ISSUER: issuer.issuer,
    SSO_JWKS_URL: issuer.jwksUrl,
    LOG_LEVEL: "silent",
    NODE_ENV: "production",
    ...(options.rateLimits === "production"
      ? { TRUST_PROXY: "1" }
      : // Benchmarks send far more than a client may: no rate limits (0 turns each off).
        { RATE_LIMIT_PER_ADDRESS: "0", RATE_LIMIT_PER_CALLER: "0" }),
  };
  const apiPort = await freePort();
  const apiUrl = `http://127.0.0.1:${apiPort}`;
  say(`starting the API on ${apiUrl}`);
  const api = await startChildService(
    new URL("../../apps/api/src/server.ts", import.meta.url).pathname,
    {
      ...common,
      PORT: String(apiPort),
      API_AUDIENCE: audience,
      MIGRATE_ON_START: "false",
      SHUTDOWN_DELAY_SECONDS: "0",
      // Production requires it (it signs the unsubscribe links of notification mail).
      NOTIFICATION_SECRET: "bench-notification-secret-0123456789abcdef",
    },
    `${apiUrl}/health/ready`,
    options.api,
  );
  let mcp: Awaited<ReturnType<typeof startChildService>> | undefined;
  let mcpUrl = "";
  if (options.mcp) {
    const mcpPort = await freePort();
    mcpUrl = `http://127.0.0.1:${mcpPort}/mcp`;
    say(`starting the MCP server on ${mcpUrl}`);
    mcp = await startChildService(
      new URL("../../apps/mcp-server/src/server.ts", import.meta.url).pathname,
      {
        ...common,
        PORT: String(mcpPort),
        MCP_RESOURCE_URL: mcpResource,
        ALLOWED_HOSTS: `127.0.0.1:${mcpPort}`,
      },
      `http://127.0.0.1:${mcpPort}/health`,
    );
  }

  /** A JSON call to the API with a bearer credential; throws on a non-2xx answer. */
  async function call<T = unknown>(
    credential: string,
    method: string,
    path: string,
    body?: unknown,
  ): Promise<T> {
    const response = await fetch(`${apiUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${credential}`,
        ...(body ? { "content-type": "application/json" } : {}),
      },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
    return (response.status === 204 ? null : await response.json()) as T;
  }

  return {
    databaseUrl,
    serverVersion: version,
    apiUrl,
    mcpUrl,
    api,
    mcp,
    issuer,
    audience,
    call,
    stop: async () => {
      await mcp?.stop();
      await api.stop();
      await issuer.close();
      await admin.query(`drop database "${name}" with (force)`);
      await admin.end();
    },
  };
}
