import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";

/**
 * The PostgreSQL extensions TaskFlow's migrations create, built into every embedded database. A real server
 * ships them in its contrib package; PGlite loads only the extensions named when it is constructed, so an
 * embedded database opened without them could not apply `CREATE EXTENSION` (migration 0013's `pg_trgm`).
 */
export const pgliteExtensions = { pg_trgm };
