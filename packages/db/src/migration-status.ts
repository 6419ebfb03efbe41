import { readFileSync } from "node:fs";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import type { Database } from "./open-database.ts";

/** How many migrations the committed journal holds. */
export function journalLength(migrationsFolder: string): number {
  const journal = JSON.parse(readFileSync(join(migrationsFolder, "meta", "_journal.json"), "utf8")) as {
    entries: unknown[];
  };
  return journal.entries.length;
}

/** True when every committed migration has been applied (readiness: never serve an old schema). */
export async function migrationsApplied(
  db: Database<Record<string, unknown>>,
  migrationsFolder: string,
): Promise<boolean> {
  const expected = journalLength(migrationsFolder);
  try {
    const result = await db.execute(sql`select count(*)::int as applied from drizzle.__drizzle_migrations`);
    const rows = (Array.isArray(result) ? result : (result as { rows: { applied: number }[] }).rows) as {
      applied: number;
    }[];
    return (rows[0]?.applied ?? 0) >= expected;
  } catch {
    return false;
  }
}
