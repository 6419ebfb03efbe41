// `npm run migrate -w apps/sso`: applies the committed migrations (the chart's init container).
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { databaseLocation, runMigrations } from "@taskflow/db";
import { EnvError, parseMigrateEnv } from "./env.ts";
import { createLogger } from "./logger.ts";
import { MIGRATION_LOCK_ID, migrationsFolder } from "./migrations.ts";

const logger = createLogger("info", undefined, "sso-migrate");
const log = (msg: string) => logger.info(msg);

try {
  const config = parseMigrateEnv(process.env);
  const embeddedDir = join(config.dataDir, "sso-db");
  const location = databaseLocation({ url: config.databaseUrl, dataDir: embeddedDir });
  if (location.kind === "postgres") {
    await runMigrations({
      database: location.url,
      migrationsFolder,
      lockId: MIGRATION_LOCK_ID,
      onProgress: log,
    });
  } else {
    mkdirSync(embeddedDir, { recursive: true });
    const pglite = new PGlite({ dataDir: embeddedDir });
    await pglite.waitReady;
    await runMigrations({ database: pglite, migrationsFolder, lockId: MIGRATION_LOCK_ID, onProgress: log });
    await pglite.close();
  }
} catch (error) {
  logger.error(error instanceof EnvError ? error.message : "migration failed", {
    ...(error instanceof EnvError ? {} : { err: error }),
  });
  process.exit(1);
}
