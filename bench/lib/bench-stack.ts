import { createHash, randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { createServer } from "node:net";
import { migrationsFolder, migrationsLockId } from "@taskflow/core";
import { runMigrations } from "@taskflow/db";
import { type PostgresServer, startPostgresServer, withDatabase } from "@taskflow/db/testing";
import { startTestIssuer } from "@taskflow/resource-auth/testing";
import pg from "pg";
import { buildApiBundle } from "../../apps/api/scripts/build-bundle.ts";
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

/** What a benchmark's PostgreSQL was started with: the figures mean little without it. */
export interface ServerSettings {
  version: string;
  fsync: string;
  synchronousCommit: string;
  fullPageWrites: string;
  /** "durable" when every commit waits for its WAL on disk, as in production; otherwise what is off. */
  label: string;
}

/**
 * The PostgreSQL server a benchmark runs on: BENCH_DATABASE_URL when set (a server where it may create
 * databases), otherwise a server of the benchmark's own from Debian's packages, with PostgreSQL's
 * durable defaults (fsync, synchronous commits, full page writes), as production runs. `fast: true`
 * starts it with fsync, synchronous commits and full page writes off instead, for a row labelled so.
 */
export async function benchServer(
  options: { fast?: boolean; countStatements?: boolean } = {},
): Promise<{ url: string; own?: PostgresServer }> {
  if (process.env.BENCH_DATABASE_URL && !options.fast) return { url: process.env.BENCH_DATABASE_URL };
  try {
    const own = await startPostgresServer({
      ...(options.fast ? { fsync: "off", synchronous_commit: "off", full_page_writes: "off" } : {}),
      // bench/lib/statement-counter.ts reads it: statements per operation.
      ...(options.countStatements ? { shared_preload_libraries: "pg_stat_statements" } : {}),
    });
    return { url: own.url, own };
  } catch (error) {
    process.stderr.write(
      `cannot start a PostgreSQL server of the benchmark's own (${error instanceof Error ? error.message : String(error)});\n` +
        "install Debian's postgresql, or set BENCH_DATABASE_URL to a server where the benchmark may create a database\n",
    );
    process.exit(2);
  }
}

export async function serverSettings(client: pg.Client): Promise<ServerSettings> {
  const show = async (name: string) => (await client.query(`show ${name}`)).rows[0]?.[name] as string;
  const settings = {
    version: await show("server_version"),
    fsync: await show("fsync"),
    synchronousCommit: await show("synchronous_commit"),
    fullPageWrites: await show("full_page_writes"),
  };
  const off = [
    settings.fsync === "off" ? "fsync off" : "",
    settings.synchronousCommit === "off" ? "synchronous_commit off" : "",
    settings.fullPageWrites === "off" ? "full_page_writes off" : "",
  ].filter(Boolean);
  return { ...settings, label: off.length === 0 ? "durable (fsync on)" : off.join(", ") };
}

/**
 * The node flags a service's `npm start` runs it with (its package.json, the same as its Dockerfile's
 * command), so the benchmark measures the process users run.
 */
export function startFlags(workspace: "api" | "mcp-server" | "sso"): string[] {
  const manifest = JSON.parse(
    readFileSync(new URL(`../../apps/${workspace}/package.json`, import.meta.url), "utf8"),
  ) as { scripts: { start: string } };
  return manifest.scripts.start.split(/\s+/).filter((word) => /^--(max|min|stack|v8)-/.test(word));
}

/** A client address of a caller's own, as an ingress would report it (X-Forwarded-For). */
export function addressOf(credential: string): string {
  const digest = createHash("sha256").update(credential).digest();
  return `10.${digest[0]}.${digest[1]}.${digest[2]}`;
}

export type ApiOptions = {
  /** Variables over the production defaults (e.g. RATE_LIMIT_PER_CALLER=0 for a row without limits). */
  env?: Record<string, string>;
  /** Extra node flags (e.g. --trace-gc, --cpu-prof), and who reads the child's stdout (ignored otherwise). */
  nodeArgs?: string[];
  /** Run src/server.ts (Node stripping the types) instead of the bundle, for a row labelled so. */
  fromSources?: boolean;
  onStdout?: (text: string) => void;
};

/**
 * A fresh database on the benchmark's server and the API as its own process on it with the production
 * defaults — NODE_ENV=production, logs at the default level (info, to /dev/null), rate limits on at
 * their defaults, behind one trusted proxy (the chart's ingress) so each benchmark caller has a client
 * address of its own — started as `npm start` starts it, and an issuer whose tokens the API accepts.
 */
export async function startBenchStack(
  options: {
    mcp?: boolean;
    api?: ApiOptions;
    /** The server's durability: durable (default) or, for a labelled row, fsync off. */
    fast?: boolean;
    /** Preload pg_stat_statements in the benchmark's own server (statement-counter.ts). */
    countStatements?: boolean;
  } = {},
) {
  const server = await benchServer({
    fast: options.fast ?? false,
    countStatements: options.countStatements ?? false,
  });
  const name = `tf_bench_${randomUUID().slice(0, 8)}`;
  const admin = new pg.Client({ connectionString: server.url });
  await admin.connect();
  await admin.query(`create database "${name}"`);
  const databaseUrl = withDatabase(server.url, name);
  say(`database ${name}: migrating`);
  await runMigrations({ database: databaseUrl, migrationsFolder, lockId: migrationsLockId });
  const settings = await serverSettings(admin);
  say(`PostgreSQL ${settings.version}: ${settings.label}`);

  const audience = "http://taskflow-api.bench";
  const mcpResource = "http://taskflow-mcp.bench/mcp";
  const issuer = await startTestIssuer({ audience });
  const common = {
    HOST: "127.0.0.1",
    DATABASE_URL: databaseUrl,
    SSO_ISSUER: issuer.issuer,
    SSO_JWKS_URL: issuer.jwksUrl,
    NODE_ENV: "production",
    // The chart's ingress is one proxy: each benchmark caller is a client of its own (addressOf).
    TRUST_PROXY: "1",
  };
  const apiPort = await freePort();
  const apiUrl = `http://127.0.0.1:${apiPort}`;
  // The API as its image and `npm start` run it: the bundle (apps/api/scripts/build-bundle.ts), built now.
  const bundleEntry = await buildApiBundle({ say });
  const sourceEntry = new URL("../../apps/api/src/server.ts", import.meta.url).pathname;
  const startApiProcess = (api: ApiOptions = {}) => {
    say(`starting the API on ${apiUrl}${api.env ? ` (${JSON.stringify(api.env)})` : ""}`);
    return startChildService(
      api.fromSources ? sourceEntry : bundleEntry,
      {
        ...common,
        PORT: String(apiPort),
        API_AUDIENCE: audience,
        MIGRATE_ON_START: "false",
        SHUTDOWN_DELAY_SECONDS: "0",
        // Production requires it (it signs the unsubscribe links of notification mail).
        NOTIFICATION_SECRET: "bench-notification-secret-0123456789abcdef",
        ...api.env,
      },
      `${apiUrl}/health/ready`,
      { ...api, nodeArgs: [...startFlags("api"), ...(api.nodeArgs ?? [])] },
    );
  };
  let api = await startApiProcess(options.api);
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
        SHUTDOWN_DELAY_SECONDS: "0",
      },
      `http://127.0.0.1:${mcpPort}/health`,
      { nodeArgs: startFlags("mcp-server") },
    );
  }

  /** A JSON call to the API with a bearer credential (from the caller's own address); throws on a non-2xx answer. */
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
        "x-forwarded-for": addressOf(credential),
        ...(body ? { "content-type": "application/json" } : {}),
      },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
    return (response.status === 204 ? null : await response.json()) as T;
  }

  /**
   * `call` for a benchmark's setup (seeding), which runs under the production rate limits like everything
   * else: a 429 is waited out for its Retry-After, as a well-behaved client does, and the call sent again.
   * Never for a measured load, whose refusals must count.
   */
  async function callPatiently<T = unknown>(
    credential: string,
    method: string,
    path: string,
    body?: unknown,
  ): Promise<T> {
    for (;;) {
      try {
        return await call<T>(credential, method, path, body);
      } catch (error) {
        const retryAfter = /: 429 .*"retryAfterSeconds":(\d+)/.exec(String(error))?.[1];
        if (retryAfter === undefined) throw error;
        await new Promise((resolve) => setTimeout(resolve, (Number(retryAfter) + 1) * 1000));
      }
    }
  }

  return {
    databaseUrl,
    serverVersion: settings.version,
    serverSettings: settings,
    /** The PostgreSQL server's process id when the benchmark started it (for its CPU time). */
    serverPid: server.own ? postmasterPid(server.own) : undefined,
    apiUrl,
    mcpUrl,
    get api() {
      return api;
    },
    mcp,
    issuer,
    audience,
    call,
    callPatiently,
    /** Stops the API and starts it again on the same database with other settings. */
    restartApi: async (next: ApiOptions = {}) => {
      await api.stop();
      api = await startApiProcess(next);
      return api;
    },
    stop: async () => {
      await mcp?.stop();
      await api.stop();
      await issuer.close();
      await admin.query(`drop database "${name}" with (force)`);
      await admin.end();
      await server.own?.destroy();
    },
  };
}

/** The postmaster's pid, from postmaster.pid in its data directory. */
function postmasterPid(server: PostgresServer): number | undefined {
  try {
    return Number(readFileSync(`${server.dataDir}/postmaster.pid`, "utf8").split("\n")[0]);
  } catch {
    return undefined;
  }
}
