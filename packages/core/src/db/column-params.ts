import { getTableColumns, type Table } from "drizzle-orm";

/**
 * A row's values for a hand-written insert or update (db/statements.ts says why such statements exist):
 * each column's quoted name and a placeholder cast to the column's own type, its value converted as the
 * column's Drizzle type converts it for the driver (a Date to its ISO text, a text[] to an array literal),
 * so the statement stores exactly what Drizzle's insert or update of the same object would. Values are
 * appended to `params`; the text depends only on which keys `values` has (and the placeholders' start), so a
 * caller with a fixed set of keys sends one statement text.
 */
export function columnParams<T extends Table>(
  table: T,
  values: Partial<T["$inferInsert"]>,
  params: unknown[],
): { names: string[]; placeholders: string[] } {
  const columns = getTableColumns(table);
  const names: string[] = [];
  const placeholders: string[] = [];
  for (const [key, value] of Object.entries(values)) {
    if (value === undefined) continue;
    const column = columns[key];
    if (!column) throw new Error(`${key} is no column of the table`);
    params.push(value === null ? null : column.mapToDriverValue(value));
    names.push(`"${column.name}"`);
    placeholders.push(`$${params.length}::${column.getSQLType()}`);
  }
  return { names, placeholders };
}
