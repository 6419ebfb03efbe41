import { sql } from "drizzle-orm";
import { index, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { workers } from "./workers.ts";

/**
 * API keys of agent workers. The key (`tf_<lookup>_<secret>`) is shown once; only a salted
 * SHA-256 of its secret part is stored, with the last characters for display.
 */
export const agentKeys = pgTable(
  "agent_keys",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    tenantId: text("tenant_id").notNull(),
    workerId: uuid("worker_id")
      .notNull()
      .references(() => workers.id, { onDelete: "cascade" }),
    /** Public, random part of the key used to find the row without scanning hashes. */
    lookup: text("lookup").notNull().unique(),
    salt: text("salt").notNull(),
    secretHash: text("secret_hash").notNull(),
    lastChars: text("last_chars").notNull(),
    /** Projects the key may be used in; null: every project the agent is a member of. */
    projectIds: uuid("project_ids").array(),
    /** What the key may do: read, write_tasks, claim, comment, manage. */
    actions: text("actions").array().notNull().default(sql`'{read,write_tasks,claim,comment}'::text[]`),
    createdBy: uuid("created_by").references(() => workers.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp("expires_at", { withTimezone: true }),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
    lastUsedAt: timestamp("last_used_at", { withTimezone: true }),
  },
  (t) => [index("agent_keys_worker_idx").on(t.workerId)],
);
