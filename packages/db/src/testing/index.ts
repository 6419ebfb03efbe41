export { migrationsFingerprint } from "./migrations-fingerprint.ts";
export { type PostgresServer, startPostgresServer } from "./postgres-server.ts";
export {
  createTestDatabase,
  type TestDatabase,
  type TestDatabaseOptions,
  testEngine,
  withDatabase,
} from "./test-database.ts";
