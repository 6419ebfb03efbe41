import { getTableColumns, type Table } from "drizzle-orm";

/**
 * A row as a jsonb object built by PostgreSQL, the same object recordAudit stores for a row Drizzle read
 * (`JSON.parse(JSON.stringify(row))`): the schema's keys (camelCase), timestamps as `Date#toISOString` writes
 * them (UTC, milliseconds truncated as a Date keeps them). For statements that write their audit row
 * themselves (claims/claim-next-statement.ts) instead of sending the row back and forth.
 */
export function rowJsonSql(table: Table, alias: string): string {
  const pairs = Object.entries(getTableColumns(table)).map(([key, column]) => {
    const value = `"${alias}"."${column.name}"`;
    const utc = "withTimezone" in column && column.withTimezone ? `${value} at time zone 'UTC'` : value;
    const json =
      column.columnType === "PgTimestamp" ? `to_char(${utc}, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')` : value;
    return `'${key}', ${json}`;
  });
  // jsonb_build_object takes at most 100 arguments: past 50 columns, two objects are merged.
  const objects: string[] = [];
  for (let i = 0; i < pairs.length; i += 50) {
    objects.push(`jsonb_build_object(${pairs.slice(i, i + 50).join(", ")})`);
  }
  return objects.join(" || ");
}
