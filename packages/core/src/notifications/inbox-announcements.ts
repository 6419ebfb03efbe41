import { sql } from "drizzle-orm";
import type { TaskflowExecutor } from "../db/database.ts";

/**
 * The PostgreSQL channel a person's inbox changes are announced on, payload the person's worker id: a new
 * notification, one read, or a project left (its notifications leave the inbox). Live inbox streams on every
 * replica, and the leader's mailer, listen to it. Sent inside the changing transaction, so it is delivered only
 * if that commits.
 */
export const inboxChannel = "taskflow_inbox";

/** Tells the live inboxes of these people, on every replica, to look again. */
export async function announceInboxChange(
  db: TaskflowExecutor,
  recipientIds: Iterable<string>,
): Promise<void> {
  // One announcement per person (PostgreSQL folds equal payloads of one transaction, but the round trips count).
  for (const id of new Set(recipientIds)) {
    await db.execute(sql`select pg_notify(${inboxChannel}, ${id})`);
  }
}
