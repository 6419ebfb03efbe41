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
  },
  (t) => [
    index("audit_task_idx").on(t.taskId, t.id),
    index("audit_project_idx").on(t.projectId, t.id),
    index("audit_tenant_idx").on(t.tenantId, t.id),
  ],
);
