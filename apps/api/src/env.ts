import { z } from "zod";

const booleanFlag = z
  .enum(["true", "false", "1", "0", "yes", "no"])
  .transform((v) => v === "true" || v === "1" || v === "yes");

const commaList = z.string().transform((v) =>
  v
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean),
);

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
    TASKFLOW_DATA_DIR: z.string().min(1).default(".taskflow"),
    SSO_ISSUER: z.url().default("http://localhost:3001"),
    SSO_JWKS_URL: z.url().optional(),
    API_AUDIENCE: z.string().min(1).default("http://localhost:8000"),
    ALLOWED_ORIGINS: commaList.default(["http://localhost:3000"]),
    DASHBOARD_CLIENT_ID: z.string().min(1).default("taskflow-dashboard"),
    MIGRATE_ON_START: booleanFlag.optional(),
    WEBHOOK_ALLOW_PRIVATE_TARGETS: booleanFlag.default(false),
    DELEGATION_MAX_DEPTH: z.coerce.number().int().min(1).max(50).default(5),
    LEASE_SECONDS: z.coerce.number().int().min(10).max(86_400).default(600),
    SHUTDOWN_DELAY_SECONDS: z.coerce.number().min(0).max(120).default(3),
  })
  .superRefine((env, ctx) => {
    if (env.NODE_ENV !== "production") return;
    if (!env.DATABASE_URL) {
      ctx.addIssue({
        code: "custom",
        path: ["DATABASE_URL"],
        message: "required in production: the embedded database serves one process only",
      });
    }
  });

export type ApiEnv = z.infer<typeof ApiEnvSchema>;

export interface ApiConfig {
  env: ApiEnv["NODE_ENV"];
  port: number;
  host: string;
  logLevel: ApiEnv["LOG_LEVEL"];
  database: { url?: string; dataDir: string };
  sso: { issuer: string; jwksUrl: string; audience: string };
  allowedOrigins: string[];
  dashboardClientId: string;
  migrateOnStart: boolean;
  /** Webhooks may target loopback and private networks (off by default: SSRF guard). */
  webhooks: { allowPrivateTargets: boolean };
  /** On SIGTERM: how long to keep serving with readiness false before closing the listener. */
  shutdownDelaySeconds: number;
  /** How long a claim lasts without a heartbeat. */
  claims: { leaseSeconds: number };
  /** Delegation links an agent's chain of subtasks may have; the next one is refused. */
  delegationMaxDepth: number;
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
export function parseEnv(source: Record<string, string | undefined>): ApiConfig {
  const parsed = ApiEnvSchema.safeParse(source);
  if (!parsed.success) {
    throw new EnvError(parsed.error.issues.map((i) => `${i.path.join(".") || "environment"}: ${i.message}`));
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
    },
    sso: {
      issuer: env.SSO_ISSUER,
      jwksUrl: env.SSO_JWKS_URL ?? new URL("/api/auth/jwks", env.SSO_ISSUER).toString(),
      audience: env.API_AUDIENCE,
    },
    allowedOrigins: env.ALLOWED_ORIGINS,
    dashboardClientId: env.DASHBOARD_CLIENT_ID,
    migrateOnStart: env.MIGRATE_ON_START ?? !env.DATABASE_URL,
    webhooks: { allowPrivateTargets: env.WEBHOOK_ALLOW_PRIVATE_TARGETS },
    claims: { leaseSeconds: env.LEASE_SECONDS },
    shutdownDelaySeconds: env.SHUTDOWN_DELAY_SECONDS,
    delegationMaxDepth: env.DELEGATION_MAX_DEPTH,
  };
}
