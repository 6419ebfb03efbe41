import { fileURLToPath } from "node:url";
import type { Database } from "@taskflow/db";
import * as schema from "./schema/index.ts";

export { schema };
export type TaskflowSchema = typeof schema;
/** The TaskFlow database, on PostgreSQL or PGlite alike. */
export type TaskflowDb = Database<TaskflowSchema>;
/** A transaction handle has the same query surface as the database. */
export type TaskflowTx = Parameters<Parameters<TaskflowDb["transaction"]>[0]>[0];

export const migrationsFolder = fileURLToPath(new URL("./migrations", import.meta.url));
/** Advisory lock id held while taskflow_db migrations run (the SSO uses its own). */
export const migrationsLockId = 7_300_002;
/** Reads that work the same inside or outside a transaction. */
export type TaskflowExecutor = TaskflowDb | TaskflowTx;
