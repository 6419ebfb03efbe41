import { mkdirSync } from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import type { Database, DatabaseLocation, OpenDatabase } from "./open-database.ts";
import { pgliteExtensions } from "./pglite-extensions.ts";

/** The embedded engine's side of openDatabase, in a module of its own so that only it loads PGlite. */
export async function openEmbeddedDatabase<TSchema extends Record<string, unknown>>(
  location: Extract<DatabaseLocation, { kind: "pglite" }>,
  schema: TSchema,
): Promise<OpenDatabase<TSchema>> {
  if (location.dataDir) mkdirSync(location.dataDir, { recursive: true });
  const pglite = new PGlite({
    extensions: pgliteExtensions,
    ...(location.dataDir ? { dataDir: location.dataDir } : {}),
    ...(location.loadDataDir ? { loadDataDir: location.loadDataDir } : {}),
  });
  await pglite.waitReady;
  const db = drizzlePglite(pglite, { schema }) as unknown as Database<TSchema>;
  return {
    db,
    engine: "pglite",
    pglite,
    ping: async () => {
      await pglite.query("select 1");
    },
    close: () => pglite.close(),
  };
}
