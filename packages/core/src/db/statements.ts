import { getTableColumns, type Table } from "drizzle-orm";
import type { TaskflowExecutor } from "./database.ts";

/**
 * Runs a statement whose text was written once (placeholders `$1`, `$2`, …) with an array of values,
 * and turns each row — its values in column order, as the driver decoded them (timestamps arrive as
 * PostgreSQL's text) — into what the caller needs with `map`. For the hot paths: Drizzle builds a
 * query's text anew on every call and walks every field of every row to map it, which cost a list
 * request more CPU than everything else it did (the API bench's profile). A fixed text is also one
 * prepared statement per pooled connection, parsed once (packages/db named-statements.ts names every
 * parameterised text). Works on the database or inside a transaction, on PostgreSQL and PGlite alike,
 * through Drizzle's own session (so a transaction's statements stay on its connection).
 */
export function runStatement<Row>(
  executor: TaskflowExecutor,
  text: string,
  params: unknown[],
  map: (values: unknown[]) => Row,
): Promise<Row[]> {
  return executor._.session
    .prepareQuery<{ execute: Row[]; all: unknown; values: unknown }>(
      { sql: text, params },
      undefined,
      undefined,
      true,
      (rows: unknown[][]) => rows.map(map),
    )
    .execute();
}

/** A table's columns for a hand-written statement: the select list and a decoder of its values. */
export interface TableColumns<T extends Table> {
  /** `"alias"."column", …` in the schema's order. */
  list: string;
  /** How many values the list selects. */
  width: number;
  /** Each column's position in the list, by its key in the schema (e.g. `createdAt`). */
  index: Record<keyof T["$inferSelect"] & string, number>;
  /** The row Drizzle would have given for these values (dates as Date, …), read from `offset`. */
  decode(values: unknown[], offset?: number): T["$inferSelect"];
}

/**
 * Derived from the schema, so a statement written by hand selects every column in one order and
 * decodes each value as the column's own Drizzle type does (a timestamp's text becomes a Date), without
 * Drizzle's per-row walk.
 */
export function tableColumns<T extends Table>(table: T, alias: string): TableColumns<T> {
  const columns = Object.entries(getTableColumns(table));
  const keys = columns.map(([key]) => key);
  const decoders = columns.map(
    ([, column]) =>
      (value: unknown) =>
        column.mapFromDriverValue(value),
  );
  return {
    list: columns.map(([, column]) => `"${alias}"."${column.name}"`).join(", "),
    width: columns.length,
    index: Object.fromEntries(keys.map((key, i) => [key, i])) as TableColumns<T>["index"],
    decode(values, offset = 0) {
      const row: Record<string, unknown> = {};
      for (let i = 0; i < keys.length; i++) {
        const value = values[offset + i];
        row[keys[i] as string] =
          value === null || value === undefined ? null : (decoders[i] as (v: unknown) => unknown)(value);
      }
      return row as T["$inferSelect"];
    },
  };
}

/**
 * PostgreSQL's text of a timestamptz (`2026-03-01 09:30:00.123456+00`) as `Date#toISOString` writes it
 * (`2026-03-01T09:30:00.123Z`, milliseconds truncated as a Date keeps them), without making a Date
 * when the session speaks UTC; any other form goes through a Date.
 */
export function isoTimestamp(text: string): string {
  // The usual form, microseconds written out (29 characters): one concatenation, no parts built and joined
  // (a page of 50 tasks has 100 timestamps, and their pieces were a tenth of what it allocated).
  if (
    text.length === 29 &&
    text.charCodeAt(10) === 32 &&
    text.charCodeAt(19) === 46 &&
    text.endsWith("+00")
  ) {
    return `${text.slice(0, 10)}T${text.slice(11, 23)}Z`;
  }
  if (text.length >= 22 && text.endsWith("+00") && text.charCodeAt(4) === 45 && text.charCodeAt(10) === 32) {
    const seconds = text.slice(11, 19);
    const fraction = text.length > 23 ? `${text.slice(20, text.length - 3)}000`.slice(0, 3) : "000";
    return `${text.slice(0, 10)}T${seconds}.${fraction}Z`;
  }
  return new Date(text).toISOString();
}

/**
 * Statement texts built once per shape, for hot statements whose text depends on a few choices made in code
 * (which columns a write sets): the first request of a shape builds its text, later ones reuse it, so each
 * sends the same flat string, which pg and named-statements.ts look up without hashing a new one. The shapes
 * are the code's, never input's, so the map stays small.
 */
export function statementTexts(): (shape: string, build: () => string) => string {
  const texts = new Map<string, string>();
  return (shape, build) => {
    let text = texts.get(shape);
    if (text === undefined) {
      text = build();
      texts.set(shape, text);
    }
    return text;
  };
}
