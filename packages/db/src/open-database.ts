import type { PGlite } from "@electric-sql/pglite";
import { drizzle as drizzlePg } from "drizzle-orm/node-postgres";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import pg from "pg";
import { nameStatements } from "./named-statements.ts";
import { installTextArrayParser } from "./text-arrays.ts";

/** The one Drizzle type every service codes against, whichever engine is underneath. */
export type Database<TSchema extends Record<string, unknown>> = PgDatabase<PgQueryResultHKT, TSchema>;

export type DatabaseLocation =
  | {
      kind: "postgres";
      url: string;
      poolSize?: number;
      /** Off for a pooler that cannot keep prepared statements (PgBouncer in transaction mode before 1.21). */
      preparedStatements?: boolean;
    }
  | { kind: "pglite"; dataDir?: string; loadDataDir?: Blob };

export interface OpenDatabase<TSchema extends Record<string, unknown>> {
  db: Database<TSchema>;
  engine: "postgres" | "pglite";
  /** The PGlite instance, present only for the embedded engine (LISTEN/NOTIFY, dumps). */
  pglite?: PGlite;
  /** The pg pool, present only for a real PostgreSQL server. */
  pool?: pg.Pool;
  /** Throws when the database cannot answer a trivial query. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Parses `DATABASE_URL` semantics: a postgres URL means a server, anything else means embedded
 * (in `dataDir`). `preparedStatements` applies to a server only.
 */
export function databaseLocation(settings: {
  url?: string | undefined;
  dataDir?: string | undefined;
  preparedStatements?: boolean | undefined;
}): DatabaseLocation {
  const { url, dataDir, preparedStatements } = settings;
  if (url && /^postgres(ql)?:\/\//.test(url)) {
    return { kind: "postgres", url, ...(preparedStatements === undefined ? {} : { preparedStatements }) };
  }
  return { kind: "pglite", ...(dataDir ? { dataDir } : {}) };
}

export async function openDatabase<TSchema extends Record<string, unknown>>(
  location: DatabaseLocation,
  schema: TSchema,
): Promise<OpenDatabase<TSchema>> {
  if (location.kind === "postgres") {
    installTextArrayParser();
    const pool = new pg.Pool({
      connectionString: location.url,
      max: location.poolSize ?? 10,
      // Fail fast when the server is gone instead of hanging a request (DESIGN §6, issue 8).
      connectionTimeoutMillis: 5_000,
      idleTimeoutMillis: 30_000,
    });
    // An idle client losing its server must not crash the process; the next query reports it.
    pool.on("error", () => {});
    // Nor a checked-out one (a transaction in progress): pg-pool listens for errors only on idle
    // clients, and an 'error' event without a listener ends the process. The query in flight
    // still fails with the error, and the pool discards the broken client when it is released.
    pool.on("connect", (client) => {
      client.on("error", () => {});
      if (location.preparedStatements !== false) nameStatements(client);
    });
    const db = drizzlePg(pool, { schema }) as unknown as Database<TSchema>;
    return {
      db,
      engine: "postgres",
      pool,
      ping: async () => {
        await pool.query("select 1");
      },
      close: () => pool.end(),
    };
  }
  // Loaded only here: a service on PostgreSQL never uses PGlite. Loaded at startup, PGlite and nodemailer (also
  // loaded on first use, apps/api mail-transport.ts) cost the API's bundle 4 MiB idle (100 vs 96 MiB).
  const { openEmbeddedDatabase } = await import("./open-embedded-database.ts");
  return openEmbeddedDatabase(location, schema);
}
