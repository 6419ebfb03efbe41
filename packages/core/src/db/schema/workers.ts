import { sql } from "drizzle-orm";
import { index, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";

/**
 * A worker is anyone who can be assigned a task: a human (from the SSO, created on the first
 * request) or an agent (registered by a person). Workers belong to one tenant (SSO organization).
 */
export const workers = pgTable(
  "workers",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    tenantId: text("tenant_id").notNull(),
    kind: text("kind", { enum: ["human", "agent"] }).notNull(),
    /** The SSO subject of a human; null for agents. */
    userId: text("user_id"),
    /** `@handle`, unique in the tenant, used for mentions and assignment. */
    handle: text("handle").notNull(),
    name: text("name").notNull(),
    email: text("email"),
    agentType: text("agent_type"),
    capabilities: text("capabilities").array().notNull().default(sql`'{}'::text[]`),
    /** A person's chosen IANA time zone (dates are stored in UTC; this is only how they read them); null: unset. */
    timeZone: text("time_zone"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
    /** Deleted agents stay as rows so the audit trail keeps naming them. */
    deletedAt: timestamp("deleted_at", { withTimezone: true }),
  },
  (t) => [
    uniqueIndex("workers_tenant_handle_uq").on(t.tenantId, t.handle),
    uniqueIndex("workers_tenant_user_uq").on(t.tenantId, t.userId),
    index("workers_tenant_kind_idx").on(t.tenantId, t.kind),
  ],
);
