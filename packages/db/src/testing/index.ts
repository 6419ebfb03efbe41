export { migrationsFingerprint } from "./migrations-fingerprint.ts";
export {
  createTestDatabase,
  type TestDatabase,
  type TestDatabaseOptions,
  testEngine,
  withDatabase,
} from "./test-database.ts";
