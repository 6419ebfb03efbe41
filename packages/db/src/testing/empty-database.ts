import { randomBytes } from "node:crypto";
import pg from "pg";
import { withDatabase } from "./test-database.ts";

/** The PostgreSQL pass's server; tests that need a real server fail without it, saying so. */
function serverUrl(): string {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error("TEST_DATABASE_URL must name a PostgreSQL server (the PostgreSQL pass sets it)");
  return url;
}

async function asAdmin(sql: string): Promise<void> {
  const admin = new pg.Client({ connectionString: serverUrl() });
  await admin.connect();
  try {
    await admin.query(sql);
  } finally {
    await admin.end();
  }
}

/**
 * A new, empty database on the test server (not migrated: for tests of the database layer itself).
 * Returns its URL and a drop that ends every connection still open to it.
 */
export async function createEmptyDatabase(prefix: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `${prefix}_${randomBytes(6).toString("hex")}`;
  await asAdmin(`create database "${name}"`);
  return {
    url: withDatabase(serverUrl(), name),
    drop: () => asAdmin(`drop database if exists "${name}" with (force)`),
  };
}
