import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { migrationsFolder, migrationsLockId, schema, type TaskflowSchema } from "@taskflow/core";
import { createTaskflowTestDatabase } from "@taskflow/core/testing";
import { type OpenDatabase, openDatabase, runMigrations } from "@taskflow/db";
import { testEngine } from "@taskflow/db/testing";

export interface ChildDatabase {
  /** What the child process needs in its environment to open this database. */
  env: Record<string, string>;
  /** Opens it in this process (close it again before a PGlite child opens it). */
  open: () => Promise<OpenDatabase<TaskflowSchema>>;
  /** Drops what was made for it. */
  cleanup: () => Promise<void>;
}

/**
 * A migrated database that a server started as its own process can open: the real server's test
 * database, or (PGlite, which one process owns at a time) a data folder on disk that the test
 * closes before spawning.
 */
export async function databaseForChild(): Promise<ChildDatabase> {
  if (testEngine() === "postgres") {
    const database = await createTaskflowTestDatabase();
    const url = database.url as string;
    return {
      env: { DATABASE_URL: url },
      open: () => openDatabase({ kind: "postgres", url }, schema),
      cleanup: () => database.close(),
    };
  }
  const root = mkdtempSync(join(tmpdir(), "taskflow-mcp-child-"));
  const dataDir = join(root, "api-db");
  const open = () => openDatabase({ kind: "pglite", dataDir }, schema);
  const first = await open();
  await runMigrations({
    database: first.pglite as NonNullable<typeof first.pglite>,
    migrationsFolder,
    lockId: migrationsLockId,
  });
  await first.close();
  return {
    env: { TASKFLOW_DATA_DIR: root },
    open,
    cleanup: async () => rmSync(root, { recursive: true, force: true }),
  };
}
