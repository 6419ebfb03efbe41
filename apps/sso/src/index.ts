export { createSsoApp, type SsoApp, type SsoAppOptions, ssoIssuer, ssoJwksUrl } from "./app.ts";
export { DEFAULT_RATE_LIMITS, type RateLimitSettings, SCOPES } from "./auth.ts";
export { EnvError, parseEnv, type SsoConfig } from "./env.ts";
export { MIGRATION_LOCK_ID, migrationsFolder } from "./migrations.ts";
export { type SeededCredentials, seededCredentials } from "./secrets.ts";
export { type RunningSso, startSso } from "./server.ts";
