import pg from "pg";
import type { TestApi } from "./test-api.ts";

/**
 * Runs a statement with bound values straight on the test API's database, whichever engine the suite runs on
 * (PGlite in process, or the PostgreSQL server): for tests that ask the database itself, such as its plans.
 */
export async function rawQuery(
  api: TestApi,
  text: string,
  params: unknown[] = [],
): Promise<Record<string, unknown>[]> {
  const { pglite, url } = api.database;
  if (pglite) return (await pglite.query<Record<string, unknown>>(text, params)).rows;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text, params)).rows;
  } finally {
    await client.end();
  }
}
