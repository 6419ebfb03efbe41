import { index, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { workers } from "./workers.ts";

/**
 * Personal access tokens: a person's credential for scripts (`tfp_<lookup>_<secret>`), shown once.
 * Like agent keys, only a salted SHA-256 of the secret is stored, with the last characters for display.
 * A token acts as its person, with its own scopes (the OAuth vocabulary), and always expires.
 */
export const personalAccessTokens = pgTable(
  "personal_access_tokens",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    tenantId: text("tenant_id").notNull(),
    /** The person (a human worker) it acts as. */
    workerId: uuid("worker_id")
      .notNull()
      .references(() => workers.id, { onDelete: "cascade" }),
    /** What the person calls it ("CI deploy script"). */
    name: text("name").notNull(),
    /** Public, random part of the token used to find the row without scanning hashes. */
    lookup: text("lookup").notNull().unique(),
    salt: text("salt").notNull(),
    secretHash: text("secret_hash").notNull(),
    lastChars: text("last_chars").notNull(),
    /** `taskflow:read`, `taskflow:write`, `taskflow:manage`: a subset of the scopes of the sign-in that made it. */
    scopes: text("scopes").array().notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
    lastUsedAt: timestamp("last_used_at", { withTimezone: true }),
  },
  (t) => [index("personal_access_tokens_worker_idx").on(t.workerId)],
);
