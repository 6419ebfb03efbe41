export { holdLeadership, type Leadership, type LeadershipOptions } from "./leadership.ts";
export { journalLength, migrationsApplied } from "./migration-status.ts";
export { type NotificationChannel, type NotificationListener, notificationChannel } from "./notifications.ts";
export {
  type Database,
  type DatabaseLocation,
  databaseLocation,
  type OpenDatabase,
  openDatabase,
} from "./open-database.ts";
export { type MigrationTarget, runMigrations } from "./run-migrations.ts";
