import { revocationFeedUrl } from "@taskflow/resource-auth";
import { EnvError, envFlag, envIssues, envList, envProxyCount } from "@taskflow/service-env";
import { z } from "zod";

/** Every variable the MCP server reads (the chart sets exactly these names). */
const McpEnvSchema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    PORT: z.coerce.number().int().min(1).max(65_535).default(8001),
    HOST: z.string().min(1).default("0.0.0.0"),
    LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, "must be a postgres:// URL (leave unset for the embedded database)")
      .optional(),
    DATABASE_PREPARED_STATEMENTS: envFlag(true),
    TASKFLOW_DATA_DIR: z.string().min(1).default(".taskflow"),
    SSO_ISSUER: z.url().default("http://localhost:3001"),
    SSO_JWKS_URL: z.url().optional(),
    SSO_REVOCATIONS_URL: z.url().optional(),
    SSO_REVOCATION_POLL_SECONDS: z.coerce.number().int().min(1).max(300).default(5),
    MCP_RESOURCE_URL: z.url().default("http://localhost:8001/mcp"),
    ALLOWED_HOSTS: envList.default(["localhost:8001", "127.0.0.1:8001"]),
    ALLOWED_ORIGINS: envList.default(["http://localhost:3000"]),
    LEASE_SECONDS: z.coerce.number().int().min(10).max(86_400).default(600),
    DELEGATION_MAX_DEPTH: z.coerce.number().int().min(1).max(50).default(5),
    LISTENS_PER_CALLER: z.coerce.number().int().min(1).max(100).default(8),
    RATE_LIMIT_WINDOW_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
    RATE_LIMIT_PER_ADDRESS: z.coerce.number().int().min(0).default(12_000),
    RATE_LIMIT_PER_CALLER: z.coerce.number().int().min(0).default(6_000),
    RATE_LIMIT_SYNC_MS: z.coerce.number().int().min(10).max(10_000).default(250),
    TRUST_PROXY: envProxyCount.default(0),
    HEADERS_TIMEOUT_SECONDS: z.coerce.number().min(1).max(600).default(20),
    REQUEST_TIMEOUT_SECONDS: z.coerce.number().min(1).max(3600).default(60),
    KEEP_ALIVE_TIMEOUT_SECONDS: z.coerce.number().min(1).max(600).default(65),
    SHUTDOWN_DELAY_SECONDS: z.coerce.number().min(0).max(120).default(3),
  })
  .superRefine((env, ctx) => {
    if (env.HEADERS_TIMEOUT_SECONDS > env.REQUEST_TIMEOUT_SECONDS) {
      ctx.addIssue({
        code: "custom",
        path: ["HEADERS_TIMEOUT_SECONDS"],
        message: "must not exceed REQUEST_TIMEOUT_SECONDS",
      });
    }
    if (env.NODE_ENV === "production" && !env.DATABASE_URL) {
      ctx.addIssue({ code: "custom", path: ["DATABASE_URL"], message: "required in production" });
    }
  });

/** The names of every variable this service reads (the chart's tests check it can set each one). */
export const envVariableNames: readonly string[] = Object.keys(McpEnvSchema.shape);

export interface McpConfig {
  env: "development" | "production" | "test";
  port: number;
  host: string;
  logLevel: string;
  /** preparedStatements: name each statement so the server parses it once per connection. */
  database: { url?: string; dataDir: string; preparedStatements: boolean };
  sso: { issuer: string; jwksUrl: string };
  /** The SSO's revocation feed, read every `intervalMs` in the background (packages/resource-auth). */
  ssoRevocations: { url: string; intervalMs: number };
  resourceUrl: string;
  allowedHosts: string[];
  allowedOrigins: string[];
  /** How long a claim made through MCP lasts without a heartbeat. */
  leaseSeconds: number;
  /** Delegation links an agent's chain of subtasks may have (the API's DELEGATION_MAX_DEPTH, the same rule). */
  delegationMaxDepth: number;
  /** `subscriptions/listen` streams one caller (agent or person) may have open at once on one replica. */
  listensPerCaller: number;
  /** Requests per window per client address and per caller (0: no limit), shared through the database. */
  rateLimits: {
    windowSeconds: number;
    perAddress: number;
    perCaller: number;
    trustedProxies: number;
    /** How often counts are shared with the other replicas (RATE_LIMIT_SYNC_MS). */
    syncIntervalMs: number;
  };
  /** The HTTP server's timeouts: request headers, whole request, idle keep-alive connection. */
  timeouts: { headersMs: number; requestMs: number; keepAliveMs: number };
  /** After SIGTERM: readiness false, requests still served this long, then the listener closes. */
  shutdownDelaySeconds: number;
}

export { EnvError };

/** Parses the environment once; throws an EnvError naming every bad or missing variable. */
export function parseEnv(source: Record<string, string | undefined>): McpConfig {
  const parsed = McpEnvSchema.safeParse(source);
  if (!parsed.success) {
    throw new EnvError("apps/mcp-server", envIssues(parsed.error));
  }
  const env = parsed.data;
  return {
    env: env.NODE_ENV,
    port: env.PORT,
    host: env.HOST,
    logLevel: env.LOG_LEVEL,
    // The MCP server shares the API's database (taskflow_db); embedded, it is the API's folder.
    database: {
      ...(env.DATABASE_URL ? { url: env.DATABASE_URL } : {}),
      dataDir: `${env.TASKFLOW_DATA_DIR}/api-db`,
      preparedStatements: env.DATABASE_PREPARED_STATEMENTS,
    },
    sso: {
      issuer: env.SSO_ISSUER,
      jwksUrl: env.SSO_JWKS_URL ?? new URL("/api/auth/jwks", env.SSO_ISSUER).toString(),
    },
    ssoRevocations: {
      url:
        env.SSO_REVOCATIONS_URL ??
        revocationFeedUrl(env.SSO_JWKS_URL ?? new URL("/api/auth/jwks", env.SSO_ISSUER).toString()),
      intervalMs: env.SSO_REVOCATION_POLL_SECONDS * 1000,
    },
    resourceUrl: env.MCP_RESOURCE_URL,
    allowedHosts: env.ALLOWED_HOSTS,
    allowedOrigins: env.ALLOWED_ORIGINS,
    leaseSeconds: env.LEASE_SECONDS,
    delegationMaxDepth: env.DELEGATION_MAX_DEPTH,
    listensPerCaller: env.LISTENS_PER_CALLER,
    rateLimits: {
      windowSeconds: env.RATE_LIMIT_WINDOW_SECONDS,
      perAddress: env.RATE_LIMIT_PER_ADDRESS,
      perCaller: env.RATE_LIMIT_PER_CALLER,
      trustedProxies: env.TRUST_PROXY,
      syncIntervalMs: env.RATE_LIMIT_SYNC_MS,
    },
    timeouts: {
      headersMs: env.HEADERS_TIMEOUT_SECONDS * 1000,
      requestMs: env.REQUEST_TIMEOUT_SECONDS * 1000,
      keepAliveMs: env.KEEP_ALIVE_TIMEOUT_SECONDS * 1000,
    },
    shutdownDelaySeconds: env.SHUTDOWN_DELAY_SECONDS,
  };
}
