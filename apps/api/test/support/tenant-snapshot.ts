import { schema, type TaskflowDb } from "@taskflow/core";
import { getTableName, is } from "drizzle-orm";
import { PgTable } from "drizzle-orm/pg-core";

type Row = Record<string, unknown>;

async function allRows(db: TaskflowDb): Promise<Map<string, Row[]>> {
  const tables = (Object.values(schema) as unknown[]).filter((t): t is PgTable => is(t, PgTable));
  const rowsByTable = new Map<string, Row[]>();
  for (const table of tables) rowsByTable.set(getTableName(table), await db.select().from(table));
  return rowsByTable;
}

/**
 * Every row of every table that belongs to a tenant, as sorted JSON per table: rows with its
 * tenant id, then rows of tables without one that point at them. Compare one taken before an
 * attack with one taken after: equal means nothing of the tenant's changed.
 */
export async function tenantSnapshot(db: TaskflowDb, tenantId: string): Promise<Record<string, string[]>> {
  const rowsByTable = await allRows(db);
  const owned = new Set<unknown>();
  const result: Record<string, string[]> = {};
  for (const [name, rows] of rowsByTable) {
    if (!rows.some((r) => "tenantId" in r) && rows.length > 0) continue;
    const mine = rows.filter((r) => r.tenantId === tenantId);
    for (const r of mine) owned.add(r.id);
    result[name] = mine.map((r) => JSON.stringify(r)).sort();
  }
  for (const [name, rows] of rowsByTable) {
    if (name in result) continue;
    result[name] = rows
      .filter((r) => Object.values(r).some((v) => typeof v === "string" && owned.has(v)))
      .map((r) => JSON.stringify(r))
      .sort();
  }
  return result;
}

/** Rows of tenant `tenantId` that mention any of `foreignIds` (a cross-tenant reference). */
export async function rowsMentioning(
  db: TaskflowDb,
  tenantId: string,
  foreignIds: string[],
): Promise<string[]> {
  const found: string[] = [];
  for (const [name, rows] of await allRows(db)) {
    for (const row of rows) {
      if (row.tenantId !== tenantId) continue;
      const text = JSON.stringify(row);
      const hit = foreignIds.find((id) => text.includes(id));
      if (hit) found.push(`${name}: ${text}`);
    }
  }
  return found;
}
