import { pgTable, text, timestamp } from "drizzle-orm/pg-core";

/**
 * Ours, not Better Auth's (schema.ts is generated from its plugins): for each person whose access
 * ended early (banned, deleted), the moment before which every token issued to them is void. The
 * resource servers read the recent rows through the revocation feed (src/revocation/feed.ts).
 */
export const subjectRevocation = pgTable("subject_revocation", {
  /** The `sub` of the person's tokens (the SSO user id); no foreign key: a deleted person stays listed. */
  subjectId: text("subject_id").primaryKey(),
  /** Tokens issued before this are void. */
  revokedBefore: timestamp("revoked_before", { withTimezone: true }).notNull(),
  /** `banned` or `deleted`, for the logs and people reading the table. */
  reason: text("reason").notNull(),
});
