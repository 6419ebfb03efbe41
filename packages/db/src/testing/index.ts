export { createEmptyDatabase } from "./empty-database.ts";
export { migrationsFingerprint } from "./migrations-fingerprint.ts";
export { type PostgresServer, startPostgresServer } from "./postgres-server.ts";
export {
  freePort,
  type ServiceProcess,
  type ServiceProcessOptions,
  startServiceProcess,
} from "./service-process.ts";
export {
  createTestDatabase,
  type TestDatabase,
  type TestDatabaseOptions,
  testEngine,
  withDatabase,
} from "./test-database.ts";
