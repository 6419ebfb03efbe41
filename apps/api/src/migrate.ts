import { migrationsFolder, migrationsLockId, schema } from "@taskflow/core";
import { databaseLocation, openDatabase, runMigrations } from "@taskflow/db";
import { EnvError, parseEnv } from "./env.ts";

// `npm run migrate -w apps/api`: the chart's `run-migrations` init container. Safe to run from
// several replicas at once (advisory lock inside runMigrations).
try {
  const config = parseEnv(process.env);
  const say = (message: string) => process.stdout.write(`migrate: ${message}\n`);
  if (config.database.url) {
    await runMigrations({
      database: config.database.url,
      migrationsFolder,
      lockId: migrationsLockId,
      onProgress: say,
    });
  } else {
    const database = await openDatabase(databaseLocation({ dataDir: config.database.dataDir }), schema);
    await runMigrations({
      database: database.pglite as NonNullable<typeof database.pglite>,
      migrationsFolder,
      lockId: migrationsLockId,
      onProgress: say,
    });
    await database.close();
  }
} catch (error) {
  if (error instanceof EnvError) {
    process.stderr.write(`migrate cannot start: ${error.message}\n`);
    process.exit(78);
  }
  process.stderr.write(`migrate failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
