import { z } from "zod";

const commaList = z.string().transform((v) =>
  v
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean),
);

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
    TASKFLOW_DATA_DIR: z.string().min(1).default(".taskflow"),
    SSO_ISSUER: z.url().default("http://localhost:3001"),
    SSO_JWKS_URL: z.url().optional(),
    MCP_RESOURCE_URL: z.url().default("http://localhost:8001/mcp"),
    ALLOWED_HOSTS: commaList.default(["localhost:8001", "127.0.0.1:8001"]),
    ALLOWED_ORIGINS: commaList.default(["http://localhost:3000"]),
    LEASE_SECONDS: z.coerce.number().int().min(10).max(86_400).default(600),
  })
  .superRefine((env, ctx) => {
    if (env.NODE_ENV === "production" && !env.DATABASE_URL) {
      ctx.addIssue({ code: "custom", path: ["DATABASE_URL"], message: "required in production" });
    }
  });

export interface McpConfig {
  env: "development" | "production" | "test";
  port: number;
  host: string;
  logLevel: string;
  database: { url?: string; dataDir: string };
  sso: { issuer: string; jwksUrl: string };
  resourceUrl: string;
  allowedHosts: string[];
  allowedOrigins: string[];
  /** How long a claim made through MCP lasts without a heartbeat. */
  leaseSeconds: number;
}

export class EnvError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(`invalid environment:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "EnvError";
    this.problems = problems;
  }
}

/** Parses the environment once; throws an EnvError naming every bad or missing variable. */
export function parseEnv(source: Record<string, string | undefined>): McpConfig {
  const parsed = McpEnvSchema.safeParse(source);
  if (!parsed.success) {
    throw new EnvError(parsed.error.issues.map((i) => `${i.path.join(".") || "environment"}: ${i.message}`));
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
    },
    sso: {
      issuer: env.SSO_ISSUER,
      jwksUrl: env.SSO_JWKS_URL ?? new URL("/api/auth/jwks", env.SSO_ISSUER).toString(),
    },
    resourceUrl: env.MCP_RESOURCE_URL,
    allowedHosts: env.ALLOWED_HOSTS,
    allowedOrigins: env.ALLOWED_ORIGINS,
    leaseSeconds: env.LEASE_SECONDS,
  };
}
