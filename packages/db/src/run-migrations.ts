import type { PGlite } from "@electric-sql/pglite";
import { drizzle as drizzlePg } from "drizzle-orm/node-postgres";
import { migrate as migratePg } from "drizzle-orm/node-postgres/migrator";
import pg from "pg";

export interface MigrationTarget {
  /** A postgres:// URL, or an open PGlite instance for the embedded engine. */
  database: string | PGlite;
  /** Folder with drizzle-kit's SQL files and `meta/_journal.json`. */
  migrationsFolder: string;
  /** Advisory lock id: one per database owner, so two services never share a lock by accident. */
  lockId: number;
  onProgress?: (message: string) => void;
}

/**
 * Applies the committed migrations. On a server it holds a session advisory lock for the whole
 * run, so replicas starting together (several init containers) apply each migration once.
 */
export async function runMigrations(target: MigrationTarget): Promise<void> {
  const say = target.onProgress ?? (() => {});
  if (typeof target.database !== "string") {
    say("applying migrations to the embedded database");
    // Loaded only for the embedded engine (open-database.ts says why).
    const [{ drizzle: drizzlePglite }, { migrate: migratePglite }] = await Promise.all([
      import("drizzle-orm/pglite"),
      import("drizzle-orm/pglite/migrator"),
    ]);
    await migratePglite(drizzlePglite(target.database), { migrationsFolder: target.migrationsFolder });
    say("migrations applied");
    return;
  }
  const client = new pg.Client({ connectionString: target.database, connectionTimeoutMillis: 10_000 });
  await client.connect();
  try {
    say(`waiting for migration lock ${target.lockId}`);
    await client.query("select pg_advisory_lock($1)", [target.lockId]);
    say("applying migrations");
    await migratePg(drizzlePg(client), { migrationsFolder: target.migrationsFolder });
    say("migrations applied");
  } finally {
    await client.query("select pg_advisory_unlock($1)", [target.lockId]).catch(() => {});
    await client.end();
  }
}
