// `npm run migrate -w apps/sso`: applies the committed migrations (the chart's init container).
import { PGlite } from "@electric-sql/pglite";
import { databaseLocation, runMigrations } from "@taskflow/db";
import { EnvError, embeddedDatabaseDir, parseEnv } from "./env.ts";
import { MIGRATION_LOCK_ID, migrationsFolder } from "./migrations.ts";

const log = (msg: string) => console.log(JSON.stringify({ level: "info", service: "sso-migrate", msg }));

try {
  const config = parseEnv(process.env);
  const location = databaseLocation(config.databaseUrl, embeddedDatabaseDir(config));
  if (location.kind === "postgres") {
    await runMigrations({
      database: location.url,
      migrationsFolder,
      lockId: MIGRATION_LOCK_ID,
      onProgress: log,
    });
  } else {
    const pglite = new PGlite({ dataDir: embeddedDatabaseDir(config) });
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
