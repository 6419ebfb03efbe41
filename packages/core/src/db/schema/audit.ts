import { sql } from "drizzle-orm";
import { bigserial, index, jsonb, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";

export const actorTypes = ["human", "agent", "system"] as const;
export type ActorType = (typeof actorTypes)[number];
/** `pat`: a person through one of their personal access tokens (REST or MCP). */
export const channels = ["web", "api", "mcp", "pat", "system"] as const;
export type Channel = (typeof channels)[number];

/**
 * Append-only record of every mutation, written in the mutation's own transaction. No foreign
 * keys: the trail outlives the objects it describes.
 */
export const auditLog = pgTable(
  "audit_log",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    tenantId: text("tenant_id").notNull(),
    projectId: uuid("project_id"),
    taskId: uuid("task_id"),
    entityType: text("entity_type", {
      enum: [
        "project",
        "member",
        "worker",
        "agent_key",
        "personal_token",
        "task",
        "comment",
        "webhook",
        "run",
        "agent_endpoint",
      ],
    }).notNull(),
    entityId: text("entity_id").notNull(),
    action: text("action").notNull(),
    actorId: uuid("actor_id"),
    actorType: text("actor_type", { enum: actorTypes }).notNull(),
    channel: text("channel", { enum: channels }).notNull(),
    before: jsonb("before"),
    after: jsonb("after"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    /**
     * A task row's status before and after, copied out of the snapshots by PostgreSQL: the insights' indexes
     * carry them, so the cumulative flow reads a project's whole history from the index alone.
     */
    fromStatus: text("from_status").generatedAlwaysAs(
      sql`case when "entity_type" = 'task' then "before" ->> 'status' end`,
    ),
    toStatus: text("to_status").generatedAlwaysAs(
      sql`case when "entity_type" = 'task' then "after" ->> 'status' end`,
    ),
  },
  (t) => [
    index("audit_task_idx").on(t.taskId, t.id),
    index("audit_project_idx").on(t.projectId, t.id),
    index("audit_tenant_idx").on(t.tenantId, t.id),
    // The insights (packages/core/src/insights): a project's task rows by time, and a tenant's for one agent.
    index("audit_project_task_time_idx")
      .on(t.projectId, t.createdAt, t.action, t.fromStatus, t.toStatus, t.tenantId)
      .where(sql`"entity_type" = 'task'`),
    index("audit_tenant_task_time_idx")
      .on(t.tenantId, t.createdAt, t.action, t.fromStatus, t.toStatus)
      .where(sql`"entity_type" = 'task'`),
  ],
);
