import { sql } from "drizzle-orm";
import {
  type AnyPgColumn,
  index,
  integer,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  uuid,
} from "drizzle-orm/pg-core";
import { projects } from "./projects.ts";
import { workers } from "./workers.ts";

export const taskStatuses = ["pending", "in_progress", "review", "completed", "blocked"] as const;
export type TaskStatus = (typeof taskStatuses)[number];
export const taskPriorities = ["low", "medium", "high", "critical"] as const;
export type TaskPriority = (typeof taskPriorities)[number];
export const recurrencePatterns = [
  "hourly",
  "daily",
  "weekdays",
  "weekly",
  "biweekly",
  "monthly",
  "yearly",
] as const;
export type RecurrencePattern = (typeof recurrencePatterns)[number];

export const tasks = pgTable(
  "tasks",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    tenantId: text("tenant_id").notNull(),
    projectId: uuid("project_id")
      .notNull()
      .references(() => projects.id, { onDelete: "cascade" }),
    /** Subtasks to any depth; deleting a task deletes its subtasks (stated in the README). */
    parentId: uuid("parent_id").references((): AnyPgColumn => tasks.id, { onDelete: "cascade" }),
    title: text("title").notNull(),
    description: text("description").notNull().default(""),
    status: text("status", { enum: taskStatuses }).notNull().default("pending"),
    priority: text("priority", { enum: taskPriorities }).notNull().default("medium"),
    /** 1 (low) … 4 (critical): sorting by priority is sorting by this column. */
    priorityRank: smallint("priority_rank").notNull().default(2),
    progress: integer("progress").notNull().default(0),
    tags: text("tags").array().notNull().default(sql`'{}'::text[]`),
    dueAt: timestamp("due_at", { withTimezone: true }),
    assigneeId: uuid("assignee_id").references(() => workers.id, { onDelete: "set null" }),
    creatorId: uuid("creator_id")
      .notNull()
      .references(() => workers.id),
    startedAt: timestamp("started_at", { withTimezone: true }),
    completedAt: timestamp("completed_at", { withTimezone: true }),
    recurrencePattern: text("recurrence_pattern", { enum: recurrencePatterns }),
    /** How many occurrences the series may have in all (null: unbounded). */
    recurrenceMax: integer("recurrence_max"),
    /** 1 for the first occurrence, counting up as completions create the next. */
    occurrence: integer("occurrence").notNull().default(1),
    /** The first task of a recurring series. */
    seriesId: uuid("series_id"),
    /** Capabilities an agent must have to claim the task (`claim next` matches on them). */
    requiredCapabilities: text("required_capabilities").array().notNull().default(sql`'{}'::text[]`),
    /** The worker holding the claim, until `leaseExpiresAt` unless renewed by a heartbeat. */
    claimedById: uuid("claimed_by_id").references(() => workers.id, { onDelete: "set null" }),
    claimedAt: timestamp("claimed_at", { withTimezone: true }),
    leaseExpiresAt: timestamp("lease_expires_at", { withTimezone: true }),
    /** Length of the claim's lease: every heartbeat (or progress report) extends it by this much. */
    leaseSeconds: integer("lease_seconds"),
    /** A person asked the holder to stop; the holder sees it in its next heartbeat answer. */
    stopRequestedById: uuid("stop_requested_by_id").references(() => workers.id, { onDelete: "set null" }),
    stopRequestedAt: timestamp("stop_requested_at", { withTimezone: true }),
    stopReason: text("stop_reason"),
    stopAcknowledgedAt: timestamp("stop_acknowledged_at", { withTimezone: true }),
    /** The agent that delegated this subtask to its assignee (null when not delegated). */
    delegatedById: uuid("delegated_by_id").references(() => workers.id, { onDelete: "set null" }),
    /** Optimistic concurrency: bumped by every change. */
    version: integer("version").notNull().default(1),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("tasks_project_created_idx").on(t.projectId, t.createdAt, t.id),
    // A status filter with the default order (newest first) reads one index range in order and stops at
    // the page size, instead of sorting every task of that status.
    index("tasks_project_status_created_idx").on(t.projectId, t.status, t.createdAt, t.id),
    index("tasks_parent_idx").on(t.parentId),
    index("tasks_assignee_idx").on(t.assigneeId),
    index("tasks_tenant_updated_idx").on(t.tenantId, t.updatedAt),
    // claim-next's order over the pending tasks, so it reads the index in order and stops at the first
    // claimable row instead of sorting every pending task (18 ms → 0.2 ms for 3,000). A claim moves the
    // task to in_progress, out of the index.
    index("tasks_claim_order_idx")
      .on(t.tenantId, t.priorityRank.desc().nullsFirst(), t.dueAt.asc().nullsLast(), t.createdAt, t.id)
      .where(sql`${t.status} = 'pending'`),
    index("tasks_lease_idx").on(t.leaseExpiresAt),
    // The due-reminder sweep reads only open tasks with a due date, by due date (notifications/due-reminders.ts).
    index("tasks_due_open_idx").on(t.dueAt).where(sql`${t.dueAt} is not null and ${t.status} <> 'completed'`),
    // A search (`q`: title or description contains the text, any case) reads trigram indexes instead of every
    // task of the project: PostgreSQL ORs the two bitmaps (list-tasks.ts keeps the two ilike terms apart for it).
    // The extension pg_trgm is created by the migration (a trusted extension: a database owner may create it).
    index("tasks_title_trgm_idx").using("gin", t.title.op("gin_trgm_ops")),
    index("tasks_description_trgm_idx").using("gin", t.description.op("gin_trgm_ops")),
  ],
);

/** `taskId` cannot be claimed until `dependsOnId` is completed. Both in one project; no cycles. */
export const taskDependencies = pgTable(
  "task_dependencies",
  {
    taskId: uuid("task_id")
      .notNull()
      .references(() => tasks.id, { onDelete: "cascade" }),
    dependsOnId: uuid("depends_on_id")
      .notNull()
      .references(() => tasks.id, { onDelete: "cascade" }),
    tenantId: text("tenant_id").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.taskId, t.dependsOnId] }),
    index("task_dependencies_depends_idx").on(t.dependsOnId),
  ],
);

export const comments = pgTable(
  "comments",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    tenantId: text("tenant_id").notNull(),
    taskId: uuid("task_id")
      .notNull()
      .references(() => tasks.id, { onDelete: "cascade" }),
    authorId: uuid("author_id")
      .notNull()
      .references(() => workers.id),
    kind: text("kind", { enum: ["note", "progress"] })
      .notNull()
      .default("note"),
    body: text("body").notNull(),
    /** For progress notes: the progress the author reported with it. */
    progress: integer("progress"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("comments_task_idx").on(t.taskId, t.createdAt)],
);
