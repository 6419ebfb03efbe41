import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { journalLength } from "../src/migration-status.ts";
import { runMigrations } from "../src/run-migrations.ts";
import { createEmptyDatabase } from "../src/testing/empty-database.ts";

// Replicas starting together (several init containers) each run the migrator at once. The
// fixture's first migration fails if applied twice, checks it runs under the advisory lock, and
// records how many other migrators were waiting for that lock while it ran.
const migrationsFolder = new URL("./fixtures/migrations", import.meta.url).pathname;
const lockId = 7_300_901; // the fixture's SQL names the same id

let url: string;
let drop: () => Promise<void> = async () => {};

beforeAll(async () => {
  ({ url, drop } = await createEmptyDatabase("tf_migrators"));
});

afterAll(() => drop());

async function query<T extends pg.QueryResultRow>(sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

describe("migrations under the advisory lock", () => {
  it("three migrators started at once on a fresh database all succeed and apply each migration once", async () => {
    const said: string[][] = [[], [], []];
    const outcomes = await Promise.allSettled(
      said.map((messages) =>
        runMigrations({
          database: url,
          migrationsFolder,
          lockId,
          onProgress: (message) => messages.push(message),
        }),
      ),
    );
    expect(outcomes.map((o) => (o.status === "rejected" ? String(o.reason) : "ok"))).toEqual([
      "ok",
      "ok",
      "ok",
    ]);
    for (const messages of said) expect(messages.at(-1)).toBe("migrations applied");

    const applied = await query<{ hash: string }>(
      "select hash from drizzle.__drizzle_migrations order by id",
    );
    expect(applied).toHaveLength(journalLength(migrationsFolder));
    expect(new Set(applied.map((m) => m.hash)).size).toBe(applied.length);

    // One session applied the first migration, while the other two waited for the lock.
    const runs = await query<{ lock_waiters: number }>("select lock_waiters from migration_runs");
    expect(runs).toEqual([{ lock_waiters: 2 }]);
    const columns = await query<{ column_name: string }>(
      "select column_name from information_schema.columns where table_name = 'migration_runs' order by ordinal_position",
    );
    expect(columns.map((c) => c.column_name)).toEqual(["id", "pid", "lock_waiters", "note"]);
  });
});
