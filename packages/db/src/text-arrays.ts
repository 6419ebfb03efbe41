import pg from "pg";

/**
 * The type ids of PostgreSQL's `text[]` and `varchar[]`: the arrays the services read (tags, capabilities,
 * ids aggregated). pg's typings list only scalar types; the registry takes any id.
 */
const textArrayTypes: number[] = [1009, 1015];

/**
 * A `text[]` as PostgreSQL writes it (`{}`, `{a,b}`, `{"a b",NULL}`) as an array of strings. pg's own
 * parser walks every character and builds each element a character at a time, and an empty array
 * costs it a parser object: a page of 50 tasks carries four arrays each, mostly empty, and parsing them
 * was 15 % of what a list request allocated (the API bench's allocation profile). Most arrays have no
 * quoted element: PostgreSQL quotes every element holding a quote, backslash, comma, brace or space,
 * and writes the null element as a bare NULL, so a text without `"`, `\` or nested braces splits on
 * commas exactly. Anything else (quoted elements, nested arrays, explicit bounds like `[0:1]={…}`)
 * goes to pg's parser, which gives the same answer.
 */
export function textArrayParser(general: (text: string) => unknown): (text: string) => unknown {
  return (text) => {
    if (text === "{}") return [];
    const last = text.length - 1;
    if (text.charCodeAt(0) !== 123 /* { */ || text.charCodeAt(last) !== 125 /* } */) return general(text);
    const inner = text.slice(1, last);
    if (/["\\{}]/.test(inner)) return general(text);
    const elements: (string | null)[] = inner.split(",");
    for (let i = 0; i < elements.length; i++) if (elements[i] === "NULL") elements[i] = null;
    return elements;
  };
}

let installed = false;

/**
 * Installs textArrayParser in pg's type registry. The registry is the process's (Drizzle's queries ask
 * it for every type they do not override), so this is done once, whichever database opens first.
 */
export function installTextArrayParser(): void {
  if (installed) return;
  installed = true;
  for (const type of textArrayTypes) {
    const general = pg.types.getTypeParser(type, "text") as (text: string) => unknown;
    pg.types.setTypeParser(type, "text", textArrayParser(general));
  }
}
