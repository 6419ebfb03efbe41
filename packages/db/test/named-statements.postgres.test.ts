import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { statementName } from "../src/named-statements.ts";
import { openDatabase } from "../src/open-database.ts";
import { createEmptyDatabase } from "../src/testing/empty-database.ts";

// The pool names every parameterised statement, so each connection parses a text once. What the
// server holds is read back from pg_prepared_statements on the same connection (poolSize 1).
let url: string;
let drop: () => Promise<void> = async () => {};

beforeAll(async () => {
  ({ url, drop } = await createEmptyDatabase("tf_named"));
});

afterAll(() => drop());

/** A pool of one connection, as the services open it; pg's pool is what drizzle queries through. */
async function openPool(options: { preparedStatements?: boolean } = {}) {
  const opened = await openDatabase({ kind: "postgres", url, poolSize: 1, ...options }, {});
  if (!opened.pool) throw new Error("a postgres location opens a pg pool");
  return { pool: opened.pool, close: opened.close };
}

async function preparedOnConnection(pool: pg.Pool) {
  const { rows } = await pool.query({
    text: "select name from pg_prepared_statements where statement like $1",
    values: ["%tf_named_probe%"],
  });
  return rows;
}

const probeText = "select $1::int + 1 as next /* tf_named_probe */";

describe("named prepared statements", () => {
  it("a parameterised query is prepared once per connection and answers the same as unnamed", async () => {
    const { pool, close } = await openPool();
    try {
      // Both ways pg is called: values inside the config, and beside it (as drizzle calls).
      expect((await pool.query({ text: probeText, values: [1] })).rows).toEqual([{ next: 2 }]);
      const client = await pool.connect();
      try {
        expect((await client.query({ text: probeText }, [41])).rows).toEqual([{ next: 42 }]);
      } finally {
        client.release();
      }
      const prepared = await preparedOnConnection(pool);
      expect(prepared).toHaveLength(1);
      expect(prepared[0]?.name).toMatch(/^tf_[\w-]{27}$/);
    } finally {
      await close();
    }
  });

  it("texts without parameters keep the simple protocol, which runs several statements at once", async () => {
    const { pool, close } = await openPool();
    try {
      await pool.query({
        text: "create table if not exists t_named (n int); insert into t_named values (7)",
      });
      expect((await pool.query({ text: "select n from t_named where n = $1", values: [7] })).rows).toEqual([
        { n: 7 },
      ]);
    } finally {
      await close();
    }
  });

  it("can be turned off for a pooler that cannot keep prepared statements", async () => {
    const { pool, close } = await openPool({ preparedStatements: false });
    try {
      await pool.query({ text: probeText, values: [1] });
      expect(await preparedOnConnection(pool)).toEqual([]);
    } finally {
      await close();
    }
  });

  it("stops naming new texts past its bound, and keeps the names it gave", () => {
    const first = statementName("select $1 /* bound 0 */");
    for (let i = 1; i < 2_500; i++) statementName(`select $1 /* bound ${i} */`);
    expect(statementName("select $1 /* bound 0 */")).toBe(first);
    expect(statementName("select $1 /* one text too many */")).toBeUndefined();
  });
});
