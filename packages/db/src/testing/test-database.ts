import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import { type OpenDatabase, openDatabase } from "../open-database.ts";
import { pgliteExtensions } from "../pglite-extensions.ts";
import { runMigrations } from "../run-migrations.ts";
import { migrationsFingerprint } from "./migrations-fingerprint.ts";

export interface TestDatabaseOptions<TSchema extends Record<string, unknown>> {
  migrationsFolder: string;
  schema: TSchema;
  lockId: number;
}

export type TestDatabase<TSchema extends Record<string, unknown>> = OpenDatabase<TSchema> & {
  /** The postgres:// URL of this test's own database (real server only). */
  url?: string;
};

/** Which engine the suite runs on: the real server when TEST_DATABASE_URL is set, PGlite otherwise. */
export function testEngine(): "postgres" | "pglite" {
  return process.env.TEST_DATABASE_URL ? "postgres" : "pglite";
}

/**
 * A fresh, migrated database of its own for one test file. On a real server it is a new database
 * cloned from a migrated template; on PGlite it is loaded from a migrated data-directory dump
 * (a fresh PGlite costs seconds, a loaded dump a fraction of that).
 */
export async function createTestDatabase<TSchema extends Record<string, unknown>>(
  options: TestDatabaseOptions<TSchema>,
): Promise<TestDatabase<TSchema>> {
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (serverUrl) return createServerDatabase(serverUrl, options);
  const dump = await pgliteTemplate(options);
  return openDatabase({ kind: "pglite", loadDataDir: dump }, options.schema);
}

async function createServerDatabase<TSchema extends Record<string, unknown>>(
  serverUrl: string,
  options: TestDatabaseOptions<TSchema>,
): Promise<TestDatabase<TSchema>> {
  const template = `tft_${migrationsFingerprint(options.migrationsFolder)}`;
  const name = `tf_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    // One creator of the template at a time across Vitest workers.
    await admin.query("select pg_advisory_lock(424242)");
    const found = await admin.query("select 1 from pg_database where datname = $1", [template]);
    if (found.rowCount === 0) {
      await admin.query(`create database "${template}_tmp"`);
      await runMigrations({
        database: withDatabase(serverUrl, `${template}_tmp`),
        migrationsFolder: options.migrationsFolder,
        lockId: options.lockId,
      });
      await admin.query(`alter database "${template}_tmp" rename to "${template}"`);
    }
    await admin.query(`create database "${name}" template "${template}"`);
  } finally {
    await admin.query("select pg_advisory_unlock(424242)").catch(() => {});
    await admin.end();
  }
  const url = withDatabase(serverUrl, name);
  const opened = await openDatabase({ kind: "postgres", url, poolSize: 5 }, options.schema);
  return {
    ...opened,
    url,
    close: async () => {
      await opened.close();
      const cleanup = new pg.Client({ connectionString: serverUrl });
      await cleanup.connect();
      await cleanup.query(`drop database if exists "${name}" with (force)`).catch(() => {});
      await cleanup.end();
    },
  };
}

async function pgliteTemplate(options: TestDatabaseOptions<Record<string, unknown>>): Promise<Blob> {
  const dir = join(tmpdir(), "taskflow-pglite-templates");
  const file = join(dir, `${migrationsFingerprint(options.migrationsFolder)}.tar.gz`);
  if (!existsSync(file)) {
    mkdirSync(dir, { recursive: true });
    const fresh = new PGlite({ extensions: pgliteExtensions });
    await fresh.waitReady;
    await runMigrations({
      database: fresh,
      migrationsFolder: options.migrationsFolder,
      lockId: options.lockId,
    });
    const dump = await fresh.dumpDataDir("gzip");
    await fresh.close();
    // Written aside then renamed, so a parallel worker never reads half a file.
    const partial = `${file}.${process.pid}.${randomBytes(4).toString("hex")}`;
    writeFileSync(partial, Buffer.from(await dump.arrayBuffer()));
    renameSync(partial, file);
  }
  return new Blob([readFileSync(file)]);
}

export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}
