import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "../src/open-database.ts";
import { createEmptyDatabase } from "../src/testing/empty-database.ts";
import { textArrayParser } from "../src/text-arrays.ts";

// The fast text[] parser must read every array exactly as pg's own parser does. PostgreSQL writes the
// arrays here (no hand-written array text): each is sent as a value, read back as text and as text[].
/** text[]'s type id (pg's typings list scalar types only). */
const textArray: number = 1009;
// pg's own parser, taken before any database is opened in this file (openDatabase installs the fast one).
const pgOwn = pg.types.getTypeParser(textArray, "text") as (text: string) => unknown;
let url: string;
let drop: () => Promise<void> = async () => {};

beforeAll(async () => {
  ({ url, drop } = await createEmptyDatabase("tf_text_arrays"));
});

afterAll(() => drop());

/** Elements that make PostgreSQL quote, escape or mark, and plain ones. */
const awkward = [
  "",
  "a",
  "bench",
  "two words",
  "comma,inside",
  'quote"inside',
  "back\\slash",
  "{brace}",
  "NULL",
  "null",
  " lead",
  "trail ",
  "tab\tand\nnewline",
  "ünïcödé 名前 🚀",
  "3f1c2a9e-1111-4222-8333-944455556666",
];

/** Arrays of 0–4 elements drawn from `awkward`, with nulls, by a seeded generator (the same every run). */
function arrays(count: number): (string | null)[][] {
  let seed = 42;
  const next = () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed;
  };
  const out: (string | null)[][] = [[], [null], ["NULL"], [""]];
  for (let i = 0; i < count; i++) {
    const length = next() % 5;
    out.push(
      Array.from({ length }, () => (next() % 9 === 0 ? null : (awkward[next() % awkward.length] as string))),
    );
  }
  return out;
}

describe("text[] parsing", () => {
  it("reads every array PostgreSQL writes as pg's own parser does, and as it was sent", async () => {
    const opened = await openDatabase({ kind: "postgres", url, poolSize: 1 }, {});
    try {
      expect(pg.types.getTypeParser(textArray, "text")).not.toBe(pgOwn);
      const sent = arrays(400);
      let quoted = 0;
      let plain = 0;
      for (const values of sent) {
        const { rows } = await (opened.pool as pg.Pool).query<{ text: string; parsed: unknown }>({
          text: "select $1::text[]::text as text, $1::text[] as parsed",
          values: [values],
        });
        const row = rows[0] as { text: string; parsed: unknown };
        if (row.text.includes('"')) quoted++;
        else plain++;
        // The installed parser answered the query; it must equal what was sent and pg's generic parse.
        expect(row.parsed).toEqual(values);
        expect(textArrayParser(pgOwn)(row.text)).toEqual(pgOwn(row.text));
      }
      // Both ways through the parser were taken many times.
      expect(quoted).toBeGreaterThan(50);
      expect(plain).toBeGreaterThan(50);
    } finally {
      await opened.close();
    }
  });

  it("hands nested arrays and explicit bounds to pg's parser", async () => {
    const opened = await openDatabase({ kind: "postgres", url, poolSize: 1 }, {});
    try {
      const { rows } = await (opened.pool as pg.Pool).query<{ nested: unknown; bounded: unknown }>(
        `select '{{a,b},{c,NULL}}'::text[] as nested, '[0:1]={x,y}'::text[] as bounded`,
      );
      expect(rows[0]).toEqual({
        nested: [
          ["a", "b"],
          ["c", null],
        ],
        bounded: ["x", "y"],
      });
    } finally {
      await opened.close();
    }
  });
});
