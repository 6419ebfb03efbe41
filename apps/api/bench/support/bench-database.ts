import { migrationsFolder, migrationsLockId } from "@taskflow/core";
import { runMigrations as run } from "@taskflow/db";
import { withDatabase } from "@taskflow/db/testing";

export const withDatabaseName = withDatabase;

export function runMigrations(url: string): Promise<void> {
  return run({ database: url, migrationsFolder, lockId: migrationsLockId });
}
