import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { SsoConfig } from "./env.ts";

/** Secrets that come from the environment, or outside production are generated once and kept under the data dir. */
export interface ResolvedSecrets {
  betterAuthSecret: string;
  admin?: { email: string; password: string };
  dashboardClientSecret?: string;
}

interface StoredSecrets {
  betterAuthSecret?: string;
  adminPassword?: string;
  dashboardClientSecret?: string;
}

const DEFAULT_ADMIN_EMAIL = "admin@taskflow.local";

export function secretsFile(config: SsoConfig): string {
  return join(config.dataDir, "sso-secrets.json");
}

function generated(): string {
  return randomBytes(32).toString("base64url");
}

/**
 * Fills in what the environment left out. In production nothing is generated: a missing
 * BETTER_AUTH_SECRET was already refused by parseEnv, and no admin or dashboard client is
 * seeded without its variables.
 */
export function resolveSecrets(config: SsoConfig): ResolvedSecrets {
  if (config.production) {
    if (!config.secret) throw new Error("BETTER_AUTH_SECRET is required in production");
    return {
      betterAuthSecret: config.secret,
      ...(config.admin.email && config.admin.password
        ? { admin: { email: config.admin.email, password: config.admin.password } }
        : {}),
      ...(config.dashboard.clientSecret ? { dashboardClientSecret: config.dashboard.clientSecret } : {}),
    };
  }
  // Every secret given (the chart gives all three): nothing to generate, so nothing is read or written. The data
  // dir may not even be writable then (the chart's read-only root filesystem), and secrets do not belong on disk.
  if (config.secret && config.admin.password && config.dashboard.clientSecret) {
    return {
      betterAuthSecret: config.secret,
      admin: { email: config.admin.email ?? DEFAULT_ADMIN_EMAIL, password: config.admin.password },
      dashboardClientSecret: config.dashboard.clientSecret,
    };
  }
  const file = secretsFile(config);
  const stored: StoredSecrets = existsSync(file)
    ? (JSON.parse(readFileSync(file, "utf8")) as StoredSecrets)
    : {};
  const next: StoredSecrets = {
    betterAuthSecret: stored.betterAuthSecret ?? generated(),
    adminPassword: stored.adminPassword ?? generated(),
    dashboardClientSecret: stored.dashboardClientSecret ?? generated(),
  };
  if (
    next.betterAuthSecret !== stored.betterAuthSecret ||
    next.adminPassword !== stored.adminPassword ||
    next.dashboardClientSecret !== stored.dashboardClientSecret
  ) {
    mkdirSync(config.dataDir, { recursive: true });
    writeFileSync(file, JSON.stringify(next, null, 2), { mode: 0o600 });
    chmodSync(file, 0o600);
  }
  return {
    betterAuthSecret: config.secret ?? (next.betterAuthSecret as string),
    admin: {
      email: config.admin.email ?? DEFAULT_ADMIN_EMAIL,
      password: config.admin.password ?? (next.adminPassword as string),
    },
    dashboardClientSecret: config.dashboard.clientSecret ?? (next.dashboardClientSecret as string),
  };
}

/** What the `npm start` launcher prints: the seeded account and the dashboard client. */
export interface SeededCredentials {
  adminEmail?: string;
  adminPassword?: string;
  dashboardClientId: string;
  dashboardClientSecret?: string;
  dashboardRedirectUris: string[];
}

export function seededCredentials(config: SsoConfig): SeededCredentials {
  const secrets = resolveSecrets(config);
  return {
    ...(secrets.admin ? { adminEmail: secrets.admin.email, adminPassword: secrets.admin.password } : {}),
    dashboardClientId: config.dashboard.clientId,
    ...(secrets.dashboardClientSecret ? { dashboardClientSecret: secrets.dashboardClientSecret } : {}),
    dashboardRedirectUris: config.dashboard.redirectUris,
  };
}
