import { join, resolve } from "node:path";
import {
  EnvError,
  type EnvIssue,
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

const optionalString = z
  .string()
  .optional()
  .transform((value) => (value === undefined || value.trim() === "" ? undefined : value.trim()));

const url = z.url({ protocol: /^https?$/ });

const extraClientSchema = z.object({
  client_id: z.string().min(1),
  client_secret: z.string().min(16).optional(),
  client_name: z.string().min(1).optional(),
  redirect_uris: z.array(url).min(1),
  post_logout_redirect_uris: z.array(url).optional(),
  /** "none" makes a public client (PKCE required). */
  token_endpoint_auth_method: z.enum(["none", "client_secret_basic", "client_secret_post"]).optional(),
  application_type: z.enum(["web", "native"]).optional(),
  scope: z.string().optional(),
  skip_consent: z.boolean().optional(),
  grant_types: z
    .array(z.enum(["authorization_code", "refresh_token", "urn:ietf:params:oauth:grant-type:device_code"]))
    .optional(),
});
export type ExtraClient = z.infer<typeof extraClientSchema>;

const schema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORT: z.coerce.number().int().min(0).max(65535).default(3001),
  HOST: z.string().min(1).default("0.0.0.0"),
  DATABASE_URL: optionalString,
  TASKFLOW_DATA_DIR: optionalString,
  BETTER_AUTH_SECRET: optionalString,
  BETTER_AUTH_URL: url.optional(),
  ALLOWED_ORIGINS: envList.default([]),
  ALLOWED_HOSTS: envHostList.default([]),
  SMTP_HOST: optionalString,
  SMTP_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  SMTP_USER: optionalString,
  SMTP_PASS: optionalString,
  SMTP_SECURE: envFlag(false),
  EMAIL_FROM: optionalString,
  REQUIRE_EMAIL_VERIFICATION: envFlag(true),
  ADMIN_EMAIL: z.email().optional(),
  ADMIN_PASSWORD: optionalString,
  DASHBOARD_CLIENT_ID: optionalString,
  DASHBOARD_CLIENT_SECRET: optionalString,
  DASHBOARD_REDIRECT_URIS: envList.default([]),
  API_AUDIENCE: url.default("http://localhost:8000"),
  MCP_RESOURCE_URL: url.default("http://localhost:8001/mcp"),
  EXTRA_OAUTH_CLIENTS: optionalString,
  UPSTREAM_OIDC_ISSUER: url.optional(),
  UPSTREAM_OIDC_CLIENT_ID: optionalString,
  UPSTREAM_OIDC_CLIENT_SECRET: optionalString,
  UPSTREAM_OIDC_NAME: optionalString,
  TRUST_PROXY: envProxyCount.default(0),
  DEV_MAILBOX_REMOTE_ADMINS: envFlag(false),
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).default("info"),
  SHUTDOWN_DELAY_SECONDS: z.coerce.number().min(0).max(120).default(3),
});

/**
 * Checks that span variables, run on the raw values even when single variables failed, so one
 * start-up names every problem.
 */
function crossChecks(source: Record<string, string | undefined>): EnvIssue[] {
  const issues: EnvIssue[] = [];
  const value = (name: string) => {
    const raw = source[name]?.trim();
    return raw ? raw : undefined;
  };
  const add = (variable: string, message: string) => issues.push({ variable, message });
  const production = value("NODE_ENV") === "production";
  const secret = value("BETTER_AUTH_SECRET");
  if (production) {
    if (!secret) add("BETTER_AUTH_SECRET", "required in production");
    else if (secret.length < 32) add("BETTER_AUTH_SECRET", "must be at least 32 characters in production");
    if (!value("BETTER_AUTH_URL")) add("BETTER_AUTH_URL", "required in production");
    if (value("DASHBOARD_CLIENT_ID") && !value("DASHBOARD_CLIENT_SECRET")) {
      add("DASHBOARD_CLIENT_SECRET", "required in production when DASHBOARD_CLIENT_ID is set");
    }
    if (value("ADMIN_EMAIL") && !value("ADMIN_PASSWORD")) {
      add("ADMIN_PASSWORD", "required in production when ADMIN_EMAIL is set");
    }
    if (["true", "1", "yes"].includes(value("DEV_MAILBOX_REMOTE_ADMINS") ?? "")) {
      add("DEV_MAILBOX_REMOTE_ADMINS", "the dev mailbox is never served in production: unset it");
    }
  } else if (secret && secret.length < 32) {
    add("BETTER_AUTH_SECRET", "must be at least 32 characters");
  }
  const adminPassword = value("ADMIN_PASSWORD");
  if (adminPassword && adminPassword.length < 12) add("ADMIN_PASSWORD", "must be at least 12 characters");
  const dashboardSecret = value("DASHBOARD_CLIENT_SECRET");
  if (dashboardSecret && dashboardSecret.length < 16)
    add("DASHBOARD_CLIENT_SECRET", "must be at least 16 characters");
  for (const name of ["ALLOWED_ORIGINS", "DASHBOARD_REDIRECT_URIS"]) {
    const items = (value(name) ?? "")
      .split(",")
      .map((item) => item.trim())
      .filter(Boolean);
    items.forEach((item, index) => {
      if (!URL.canParse(item)) add(name, `entry ${index + 1} is not a URL`);
    });
  }
  const extra = value("EXTRA_OAUTH_CLIENTS");
  if (extra) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(extra);
    } catch {
      add("EXTRA_OAUTH_CLIENTS", "is not valid JSON");
    }
    if (parsed !== undefined) {
      const result = z.array(extraClientSchema).safeParse(parsed);
      if (!result.success) {
        add(
          "EXTRA_OAUTH_CLIENTS",
          result.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join(", "),
        );
      }
    }
  }
  const upstream = ["UPSTREAM_OIDC_ISSUER", "UPSTREAM_OIDC_CLIENT_ID", "UPSTREAM_OIDC_CLIENT_SECRET"];
  if (upstream.some((name) => value(name)) && !upstream.every((name) => value(name))) {
    for (const name of upstream) if (!value(name)) add(name, "required when any UPSTREAM_OIDC_* is set");
  }
  return issues;
}

/** The names of every variable this service reads (the chart's tests check it can set each one). */
export const envVariableNames: readonly string[] = Object.keys(schema.shape);

export type { SmtpConfig };

export interface SsoConfig {
  nodeEnv: "development" | "production" | "test";
  production: boolean;
  port: number;
  host: string;
  /** A postgres:// URL, or undefined for the embedded PGlite under `dataDir`. */
  databaseUrl?: string;
  /** Root of the embedded state: `<dataDir>/sso-db`, dev secrets, dev mailbox. */
  dataDir: string;
  /** Undefined outside production means "generate one and keep it under dataDir". */
  secret?: string;
  /** Public base URL of this service, without a trailing slash. */
  baseUrl: string;
  allowedOrigins: string[];
  /**
   * The Host names requests may carry (DNS-rebinding guard, http/host-guard.ts): BETTER_AUTH_URL's host,
   * ALLOWED_HOSTS (the in-cluster Service names the chart lists), IP addresses and localhost.
   */
  servedHosts: ServedHosts;
  smtp?: SmtpConfig;
  emailFrom: string;
  requireEmailVerification: boolean;
  admin: { email?: string; password?: string };
  dashboard: { clientId: string; clientSecret?: string; redirectUris: string[] };
  apiAudience: string;
  mcpResourceUrl: string;
  extraClients: ExtraClient[];
  upstreamOidc?: { issuer: string; clientId: string; clientSecret: string; name: string };
  /** Proxies in front whose `X-Forwarded-For` entries are believed (TRUST_PROXY; 0: none). */
  trustedProxies: number;
  /**
   * The dev mailbox (no SMTP_HOST, outside production) is served to this machine only; `remoteAdmins`
   * (DEV_MAILBOX_REMOTE_ADMINS) also serves it to signed-in administrators from anywhere.
   */
  devMailbox: { remoteAdmins: boolean };
  logLevel: "debug" | "info" | "warn" | "error";
  /**
   * After SIGTERM (stop()), health answers 503 and requests are still served this long, so the
   * load balancer takes the pod out before the listener closes.
   */
  shutdownDelaySeconds: number;
}

export { EnvError };

/** Parses the environment once; throws EnvError naming every bad or missing variable. */
export function parseEnv(source: Record<string, string | undefined>): SsoConfig {
  // An empty variable (a chart value left blank) means "not set".
  const cleaned = Object.fromEntries(
    Object.entries(source).map(([key, value]) => [key, value?.trim() === "" ? undefined : value]),
  );
  const result = schema.safeParse(cleaned);
  const issues: EnvIssue[] = result.success ? [] : envIssues(result.error);
  for (const issue of crossChecks(cleaned)) {
    if (!issues.some((known) => known.variable === issue.variable && known.message === issue.message)) {
      issues.push(issue);
    }
  }
  if (!result.success || issues.length > 0) throw new EnvError("apps/sso", issues);
  const env = result.data;
  const port = env.PORT;
  const baseUrl = (env.BETTER_AUTH_URL ?? `http://localhost:${port}`).replace(/\/+$/, "");
  const dataDir = resolve(env.TASKFLOW_DATA_DIR ?? ".taskflow");
  return {
    nodeEnv: env.NODE_ENV,
    production: env.NODE_ENV === "production",
    port,
    host: env.HOST,
    ...(env.DATABASE_URL ? { databaseUrl: env.DATABASE_URL } : {}),
    dataDir,
    ...(env.BETTER_AUTH_SECRET ? { secret: env.BETTER_AUTH_SECRET } : {}),
    baseUrl,
    allowedOrigins: env.ALLOWED_ORIGINS.map((origin) => origin.replace(/\/+$/, "")),
    servedHosts: servedHosts([baseUrl, ...env.ALLOWED_HOSTS]),
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
    emailFrom: env.EMAIL_FROM ?? "TaskFlow <no-reply@taskflow.local>",
    requireEmailVerification: env.REQUIRE_EMAIL_VERIFICATION,
    admin: {
      ...(env.ADMIN_EMAIL ? { email: env.ADMIN_EMAIL.toLowerCase() } : {}),
      ...(env.ADMIN_PASSWORD ? { password: env.ADMIN_PASSWORD } : {}),
    },
    dashboard: {
      clientId: env.DASHBOARD_CLIENT_ID ?? "taskflow-dashboard",
      ...(env.DASHBOARD_CLIENT_SECRET ? { clientSecret: env.DASHBOARD_CLIENT_SECRET } : {}),
      redirectUris:
        env.DASHBOARD_REDIRECT_URIS.length > 0
          ? env.DASHBOARD_REDIRECT_URIS
          : ["http://localhost:3000/api/auth/callback"],
    },
    apiAudience: env.API_AUDIENCE.replace(/\/+$/, ""),
    mcpResourceUrl: env.MCP_RESOURCE_URL.replace(/\/+$/, ""),
    extraClients: env.EXTRA_OAUTH_CLIENTS
      ? z.array(extraClientSchema).parse(JSON.parse(env.EXTRA_OAUTH_CLIENTS))
      : [],
    ...(env.UPSTREAM_OIDC_ISSUER && env.UPSTREAM_OIDC_CLIENT_ID && env.UPSTREAM_OIDC_CLIENT_SECRET
      ? {
          upstreamOidc: {
            issuer: env.UPSTREAM_OIDC_ISSUER.replace(/\/+$/, ""),
            clientId: env.UPSTREAM_OIDC_CLIENT_ID,
            clientSecret: env.UPSTREAM_OIDC_CLIENT_SECRET,
            name: env.UPSTREAM_OIDC_NAME ?? "Company sign-in",
          },
        }
      : {}),
    trustedProxies: env.TRUST_PROXY,
    devMailbox: { remoteAdmins: env.DEV_MAILBOX_REMOTE_ADMINS },
    logLevel: env.LOG_LEVEL,
    shutdownDelaySeconds: env.SHUTDOWN_DELAY_SECONDS,
  };
}

/** Where the embedded database lives when DATABASE_URL is unset. */
export function embeddedDatabaseDir(config: SsoConfig): string {
  return join(config.dataDir, "sso-db");
}

/** What `npm run migrate` needs, and nothing else (an init container may not carry the secrets). */
export function parseMigrateEnv(source: Record<string, string | undefined>): {
  databaseUrl?: string;
  dataDir: string;
} {
  const databaseUrl = source.DATABASE_URL?.trim();
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new EnvError("apps/sso", [
      { variable: "DATABASE_URL", message: "must be a postgres:// URL (or unset for the embedded database)" },
    ]);
  }
  return {
    ...(databaseUrl ? { databaseUrl } : {}),
    dataDir: resolve(source.TASKFLOW_DATA_DIR?.trim() || ".taskflow"),
  };
}
