import { createTestDatabase, type TestDatabase } from "@taskflow/db/testing";
import { migrationsFolder, migrationsLockId, schema, type TaskflowSchema } from "../db/database.ts";

/** A migrated TaskFlow database of its own for one test file (PGlite, or the server in TEST_DATABASE_URL). */
export function createTaskflowTestDatabase(): Promise<TestDatabase<TaskflowSchema>> {
  return createTestDatabase({ migrationsFolder, schema, lockId: migrationsLockId });
}
export { type AuditRowValues, type HistoryWorker, TaskStory } from "./audit-history.ts";
