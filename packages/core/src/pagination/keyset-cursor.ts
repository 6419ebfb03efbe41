import { invalidInput } from "../errors.ts";

export type CursorValue = string | number | null;

/**
 * An opaque page cursor: base64url of the ordering the page was read in and the sort key of its
 * last row. The next page starts strictly after that key, so rows inserted meanwhile never make a
 * page skip or repeat a row.
 */
export function encodeCursor(ordering: string, key: CursorValue[]): string {
  return Buffer.from(JSON.stringify({ o: ordering, k: key })).toString("base64url");
}

/** The key of a cursor made by `encodeCursor` for the same ordering, or a 4xx naming `query.cursor`. */
export function decodeCursor(cursor: string, ordering: string, length: number): CursorValue[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    throw invalidInput("query.cursor", "not a cursor this API handed out");
  }
  const { o, k } = (parsed ?? {}) as { o?: unknown; k?: unknown };
  if (
    !Array.isArray(k) ||
    k.length !== length ||
    !k.every((v) => v === null || typeof v === "string" || typeof v === "number")
  ) {
    throw invalidInput("query.cursor", "not a cursor this API handed out");
  }
  if (o !== ordering) {
    throw invalidInput("query.cursor", `this cursor belongs to another sort order (${String(o)})`);
  }
  return k as CursorValue[];
}
