import { z } from "zod";

/** Thrown by parseEnv; `issues` names every bad or missing variable. */
export class EnvError extends Error {
  readonly issues: { variable: string; message: string }[];
  constructor(issues: { variable: string; message: string }[]) {
    super(
      `invalid environment for apps/web: ${issues.map((issue) => `${issue.variable}: ${issue.message}`).join("; ")}`,
    );
    this.name = "EnvError";
    this.issues = issues;
  }
}

const url = z.url({ protocol: /^https?$/ }).transform((value) => value.replace(/\/+$/, ""));

const schema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).default("info"),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default("0.0.0.0"),
  PUBLIC_URL: url.default("http://localhost:3000"),
  SSO_ISSUER: url.default("http://localhost:3001"),
  SSO_INTERNAL_URL: url.optional(),
  API_URL: url.default("http://localhost:8000"),
  API_AUDIENCE: url.optional(),
  MCP_PUBLIC_URL: url.default("http://localhost:8001/mcp"),
  DASHBOARD_CLIENT_ID: z.string().min(1).default("taskflow-dashboard"),
  DASHBOARD_CLIENT_SECRET: z.string().min(16, "must be at least 16 characters"),
  SESSION_SECRET: z.string().min(32, "must be at least 32 characters"),
});

/** The names of every variable this service reads (the chart's tests check it can set each one). */
export const envVariableNames: readonly string[] = Object.keys(schema.shape);

export interface WebConfig {
  nodeEnv: "development" | "production" | "test";
  logLevel: "debug" | "info" | "warn" | "error";
  port: number;
  host: string;
  /** The dashboard's public base URL (no trailing slash); the OIDC redirect URI is `<publicUrl>/api/auth/callback`. */
  publicUrl: string;
  /** True when publicUrl is https: cookies get `Secure`. */
  secureCookies: boolean;
  /** The issuer ID tokens must carry (the SSO's public URL). */
  ssoIssuer: string;
  /** Where this server reaches the SSO (token, JWKS, discovery); defaults to the issuer. */
  ssoInternalUrl: string;
  /** Where this server reaches the API. */
  apiUrl: string;
  /** The `resource` asked for, so access tokens are for the API (its API_AUDIENCE); defaults to API_URL. */
  apiAudience: string;
  /** The MCP endpoint agents connect to, shown on the "Connect an agent" page. */
  mcpUrl: string;
  clientId: string;
  clientSecret: string;
  sessionSecret: string;
  redirectUri: string;
}

/** Parses the environment once; throws EnvError naming every bad or missing variable. */
export function parseEnv(source: Record<string, string | undefined>): WebConfig {
  // An empty variable (a chart value left blank) means "not set".
  const cleaned = Object.fromEntries(
    Object.entries(source).map(([key, value]) => [key, value?.trim() === "" ? undefined : value?.trim()]),
  );
  const result = schema.safeParse(cleaned);
  if (!result.success) {
    const issues = result.error.issues.map((issue) => ({
      variable: String(issue.path[0] ?? "environment"),
      message: cleaned[String(issue.path[0])] === undefined ? "required" : issue.message,
    }));
    throw new EnvError(issues);
  }
  const env = result.data;
  return {
    nodeEnv: env.NODE_ENV,
    logLevel: env.LOG_LEVEL,
    port: env.PORT,
    host: env.HOST,
    publicUrl: env.PUBLIC_URL,
    secureCookies: env.PUBLIC_URL.startsWith("https://"),
    ssoIssuer: env.SSO_ISSUER,
    ssoInternalUrl: env.SSO_INTERNAL_URL ?? env.SSO_ISSUER,
    apiUrl: env.API_URL,
    apiAudience: env.API_AUDIENCE ?? env.API_URL,
    mcpUrl: env.MCP_PUBLIC_URL,
    clientId: env.DASHBOARD_CLIENT_ID,
    clientSecret: env.DASHBOARD_CLIENT_SECRET,
    sessionSecret: env.SESSION_SECRET,
    redirectUri: `${env.PUBLIC_URL}/api/auth/callback`,
  };
}

let cached: WebConfig | undefined;
/** The server's configuration, parsed from process.env on first use (never at build time). */
export function config(): WebConfig {
  cached ??= parseEnv(process.env);
  return cached;
}
