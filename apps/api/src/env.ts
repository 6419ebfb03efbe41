import { revocationFeedUrl } from "@taskflow/resource-auth";
import {
  EnvError,
  envFlag,
  envHostList,
  envIssues,
  envList,
  envProxyCount,
  type ServedHosts,
  type SmtpConfig,
  servedHosts,
} from "@taskflow/service-env";
import { z } from "zod";

/** Unset or blank (a chart value left empty) is "not set". */
const optionalString = z
  .string()
  .optional()
  .transform((value) => (value === undefined || value.trim() === "" ? undefined : value.trim()));

/** Every variable the API reads, in one place (the chart sets exactly these names). */
const ApiEnvSchema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    PORT: z.coerce.number().int().min(1).max(65_535).default(8000),
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
    API_AUDIENCE: z.string().min(1).default("http://localhost:8000"),
    ALLOWED_ORIGINS: envList.default(["http://localhost:3000"]),
    ALLOWED_HOSTS: envHostList.default([]),
    DASHBOARD_CLIENT_ID: z.string().min(1).default("taskflow-dashboard"),
    MIGRATE_ON_START: envFlag(undefined),
    WEBHOOK_ALLOW_PRIVATE_TARGETS: envFlag(false),
    DELEGATION_MAX_DEPTH: z.coerce.number().int().min(1).max(50).default(5),
    LEASE_SECONDS: z.coerce.number().int().min(10).max(86_400).default(600),
    RUN_STALE_SECONDS: z.coerce.number().int().min(10).max(604_800).default(1_800),
    SHUTDOWN_DELAY_SECONDS: z.coerce.number().min(0).max(120).default(3),
    RATE_LIMIT_WINDOW_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
    RATE_LIMIT_PER_ADDRESS: z.coerce.number().int().min(0).default(12_000),
    RATE_LIMIT_PER_CALLER: z.coerce.number().int().min(0).default(6_000),
    RATE_LIMIT_SYNC_MS: z.coerce.number().int().min(10).max(10_000).default(250),
    TRUST_PROXY: envProxyCount.default(0),
    HEADERS_TIMEOUT_SECONDS: z.coerce.number().min(1).max(600).default(20),
    REQUEST_TIMEOUT_SECONDS: z.coerce.number().min(1).max(3600).default(60),
    KEEP_ALIVE_TIMEOUT_SECONDS: z.coerce.number().min(1).max(600).default(65),
    PUBLIC_URL: z.url({ protocol: /^https?$/ }).default("http://localhost:8000"),
    DASHBOARD_URL: z.url({ protocol: /^https?$/ }).default("http://localhost:3000"),
    SMTP_HOST: optionalString,
    SMTP_PORT: z.coerce.number().int().min(1).max(65_535).optional(),
    SMTP_USER: optionalString,
    SMTP_PASS: optionalString,
    SMTP_SECURE: envFlag(false),
    EMAIL_FROM: optionalString,
    NOTIFICATION_SECRET: optionalString.refine((value) => value === undefined || value.length >= 32, {
      message: "must be at least 32 characters",
    }),
    NOTIFICATION_DIGEST_HOUR: z.coerce.number().int().min(0).max(23).default(8),
    NOTIFICATION_TICK_SECONDS: z.coerce.number().int().min(1).max(3600).default(30),
  })
  .superRefine((env, ctx) => {
    if (env.HEADERS_TIMEOUT_SECONDS > env.REQUEST_TIMEOUT_SECONDS) {
      ctx.addIssue({
        code: "custom",
        path: ["HEADERS_TIMEOUT_SECONDS"],
        message: "must not exceed REQUEST_TIMEOUT_SECONDS",
      });
    }
    if (env.NODE_ENV !== "production") return;
    if (!env.DATABASE_URL) {
      ctx.addIssue({
        code: "custom",
        path: ["DATABASE_URL"],
        message: "required in production: the embedded database serves one process only",
      });
    }
    if (!env.NOTIFICATION_SECRET) {
      ctx.addIssue({
        code: "custom",
        path: ["NOTIFICATION_SECRET"],
        message: "required in production: it signs the unsubscribe links of notification mail",
      });
    }
  });

/** The names of every variable this service reads (the chart's tests check it can set each one). */
export const envVariableNames: readonly string[] = Object.keys(ApiEnvSchema.shape);

export type ApiEnv = z.infer<typeof ApiEnvSchema>;

export interface ApiConfig {
  env: ApiEnv["NODE_ENV"];
  port: number;
  host: string;
  logLevel: ApiEnv["LOG_LEVEL"];
  /** preparedStatements: name each statement so the server parses it once per connection. */
  database: { url?: string; dataDir: string; preparedStatements: boolean };
  sso: { issuer: string; jwksUrl: string; audience: string };
  /** The SSO's revocation feed, read every `intervalMs` in the background (packages/resource-auth). */
  ssoRevocations: { url: string; intervalMs: number };
  allowedOrigins: string[];
  /**
   * The Host names requests may carry (DNS-rebinding guard): API_AUDIENCE's host, PUBLIC_URL's host (the
   * unsubscribe links of notification mail point there), ALLOWED_HOSTS (the in-cluster Service names the
   * chart lists), IP addresses (probes, pods) and localhost.
   */
  servedHosts: ServedHosts;
  dashboardClientId: string;
  migrateOnStart: boolean;
  /** Webhooks may target loopback and private networks (off by default: SSRF guard). */
  webhooks: { allowPrivateTargets: boolean };
  /** On SIGTERM: how long to keep serving with readiness false before closing the listener. */
  shutdownDelaySeconds: number;
  /** How long a claim lasts without a heartbeat. */
  claims: { leaseSeconds: number };
  /** An agent run with no activity this long (pending or active) is marked stale (RUN_STALE_SECONDS). */
  runs: { staleSeconds: number };
  /** Delegation links an agent's chain of subtasks may have; the next one is refused. */
  delegationMaxDepth: number;
  /** Requests per window per client address and per caller (0: no limit), shared through the database. */
  rateLimits: {
    windowSeconds: number;
    perAddress: number;
    perCaller: number;
    /** Proxies whose X-Forwarded-For entries are believed (TRUST_PROXY). */
    trustedProxies: number;
    /** How often counts are shared with the other replicas (RATE_LIMIT_SYNC_MS). */
    syncIntervalMs: number;
  };
  /** The HTTP server's timeouts: request headers, whole request, idle keep-alive connection. */
  timeouts: { headersMs: number; requestMs: number; keepAliveMs: number };
  notifications: NotificationConfig;
}

export type { SmtpConfig };

/** The inbox's mail and due reminders (README "Notifications"). */
export interface NotificationConfig {
  /** Where this API is reached from outside: unsubscribe links point here. */
  publicUrl: string;
  /** Where the dashboard is reached: mail links to tasks, the inbox and the settings there. */
  dashboardUrl: string;
  /** Signs unsubscribe links; outside production, generated and kept under `dataDir` when unset. */
  secret?: string;
  dataDir: string;
  digestHour: number;
  tickSeconds: number;
  mail: {
    from: string;
    /** Mail goes through SMTP when set … */
    smtp?: SmtpConfig;
    /** … else, outside production, into the dev mailbox the SSO serves (`/dev/mailbox`); null: no mail. */
    mailboxDir: string | null;
  };
}

export { EnvError };

/** Parses the environment once; throws an EnvError naming every bad or missing variable. */
export function parseEnv(source: Record<string, string | undefined>): ApiConfig {
  const parsed = ApiEnvSchema.safeParse(source);
  if (!parsed.success) {
    throw new EnvError("apps/api", envIssues(parsed.error));
  }
  const env = parsed.data;
  return {
    env: env.NODE_ENV,
    port: env.PORT,
    host: env.HOST,
    logLevel: env.LOG_LEVEL,
    database: {
      ...(env.DATABASE_URL ? { url: env.DATABASE_URL } : {}),
      dataDir: `${env.TASKFLOW_DATA_DIR}/api-db`,
      preparedStatements: env.DATABASE_PREPARED_STATEMENTS,
    },
    sso: {
      issuer: env.SSO_ISSUER,
      jwksUrl: env.SSO_JWKS_URL ?? new URL("/api/auth/jwks", env.SSO_ISSUER).toString(),
      audience: env.API_AUDIENCE,
    },
    ssoRevocations: {
      url:
        env.SSO_REVOCATIONS_URL ??
        revocationFeedUrl(env.SSO_JWKS_URL ?? new URL("/api/auth/jwks", env.SSO_ISSUER).toString()),
      intervalMs: env.SSO_REVOCATION_POLL_SECONDS * 1000,
    },
    allowedOrigins: env.ALLOWED_ORIGINS,
    servedHosts: servedHosts([env.API_AUDIENCE, env.PUBLIC_URL, ...env.ALLOWED_HOSTS]),
    dashboardClientId: env.DASHBOARD_CLIENT_ID,
    migrateOnStart: env.MIGRATE_ON_START ?? !env.DATABASE_URL,
    webhooks: { allowPrivateTargets: env.WEBHOOK_ALLOW_PRIVATE_TARGETS },
    claims: { leaseSeconds: env.LEASE_SECONDS },
    runs: { staleSeconds: env.RUN_STALE_SECONDS },
    shutdownDelaySeconds: env.SHUTDOWN_DELAY_SECONDS,
    delegationMaxDepth: env.DELEGATION_MAX_DEPTH,
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
    notifications: {
      publicUrl: env.PUBLIC_URL.replace(/\/+$/, ""),
      dashboardUrl: env.DASHBOARD_URL.replace(/\/+$/, ""),
      ...(env.NOTIFICATION_SECRET ? { secret: env.NOTIFICATION_SECRET } : {}),
      dataDir: env.TASKFLOW_DATA_DIR,
      digestHour: env.NOTIFICATION_DIGEST_HOUR,
      tickSeconds: env.NOTIFICATION_TICK_SECONDS,
      mail: {
        from: env.EMAIL_FROM ?? "TaskFlow <no-reply@taskflow.local>",
        ...(env.SMTP_HOST
          ? {
              smtp: {
                host: env.SMTP_HOST,
                port: env.SMTP_PORT ?? (env.SMTP_SECURE ? 465 : 587),
                secure: env.SMTP_SECURE,
                ...(env.SMTP_USER ? { user: env.SMTP_USER } : {}),
                ...(env.SMTP_PASS ? { pass: env.SMTP_PASS } : {}),
              },
            }
          : {}),
        // On the embedded database (`npm start`), into the folder the SSO keeps its dev mail in (apps/sso:
        // <data dir>/sso-mailbox), so its /dev/mailbox page shows both; on a server without SMTP_HOST, none.
        mailboxDir:
          env.SMTP_HOST || env.NODE_ENV === "production" || env.DATABASE_URL
            ? null
            : `${env.TASKFLOW_DATA_DIR}/sso-mailbox`,
      },
    },
  };
}
