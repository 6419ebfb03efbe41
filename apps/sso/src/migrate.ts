// `npm run migrate -w apps/sso`: applies the committed migrations (the chart's init container).
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { databaseLocation, runMigrations } from "@taskflow/db";
import { EnvError, parseMigrateEnv } from "./env.ts";
import { MIGRATION_LOCK_ID, migrationsFolder } from "./migrations.ts";

const log = (msg: string) => console.log(JSON.stringify({ level: "info", service: "sso-migrate", msg }));

try {
  const config = parseMigrateEnv(process.env);
  const embeddedDir = join(config.dataDir, "sso-db");
  const location = databaseLocation(config.databaseUrl, embeddedDir);
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
  console.error(
    JSON.stringify({
      level: "error",
      service: "sso-migrate",
      msg: error instanceof EnvError ? error.message : `migration failed: ${String(error)}`,
    }),
  );
  process.exit(1);
}
