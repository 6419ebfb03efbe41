import { join } from "node:path";

/** drizzle-kit's output for the SSO's own database (sso_db). */
export const migrationsFolder = join(import.meta.dirname, "db", "migrations");

/** Advisory lock id of the SSO's migrations; the API uses its own. */
export const MIGRATION_LOCK_ID = 7_300_001;
