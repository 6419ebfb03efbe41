import { sql } from "drizzle-orm";
import {
  bigserial,
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { projects } from "./projects.ts";
import { tasks } from "./tasks.ts";
import { workers } from "./workers.ts";

/**
 * What a run is doing, as its last activity says (runs/run-state.ts): `pending` dispatched or prompted and not
 * yet taken up, `active` working, `awaiting_input` asked a question, `error`, `completed`, `stopped`; `stale`
 * when a pending or active run had no activity for RUN_STALE_SECONDS (runs/stale-runs.ts).
 */
export const runStates = [
  "pending",
  "active",
  "awaiting_input",
  "error",
  "completed",
  "stopped",
  "stale",
] as const;
export type RunState = (typeof runStates)[number];

/** Why a run opened: the agent claimed the task, a person (or agent) assigned it, mentioned it, or prompted it. */
export const runOrigins = ["claim", "assign", "mention", "prompt", "work"] as const;
export type RunOrigin = (typeof runOrigins)[number];

export const activityTypes = ["prompt", "thought", "action", "response", "elicitation", "error"] as const;
export type ActivityType = (typeof activityTypes)[number];

/**
 * One agent's working session on one task. At most one run of a task and agent is open (not completed or
 * stopped) at a time: claiming, assigning or mentioning the agent again takes that one up.
 */
export const agentRuns = pgTable(
  "agent_runs",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    tenantId: text("tenant_id").notNull(),
    projectId: uuid("project_id")
      .notNull()
      .references(() => projects.id, { onDelete: "cascade" }),
    taskId: uuid("task_id")
      .notNull()
      .references(() => tasks.id, { onDelete: "cascade" }),
    agentId: uuid("agent_id")
      .notNull()
      .references(() => workers.id, { onDelete: "cascade" }),
    state: text("state", { enum: runStates }).notNull(),
    origin: text("origin", { enum: runOrigins }).notNull(),
    /** Who opened it: the person (or agent) who assigned, mentioned or prompted; the agent itself for a claim. */
    openedById: uuid("opened_by_id").references(() => workers.id, { onDelete: "set null" }),
    /** The number of activities: the sequence number of the last one. */
    lastSeq: integer("last_seq").notNull().default(0),
    /** The highest sequence number the agent has read prompts up to (read_prompts, an answered wait). */
    agentReadSeq: integer("agent_read_seq").notNull().default(0),
    lastActivityAt: timestamp("last_activity_at", { withTimezone: true }).notNull().defaultNow(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("agent_runs_task_idx").on(t.taskId, t.createdAt),
    index("agent_runs_agent_idx").on(t.agentId, t.createdAt),
    uniqueIndex("agent_runs_open_uq")
      .on(t.taskId, t.agentId)
      .where(sql`${t.state} not in ('completed', 'stopped')`),
    // The stale sweep reads only runs that may go stale, oldest activity first.
    index("agent_runs_stale_idx").on(t.lastActivityAt).where(sql`${t.state} in ('pending', 'active')`),
  ],
);

/** One choice an agent offers with a question. */
export interface ElicitationChoice {
  value: string;
  label: string;
}

/**
 * The activities of a run, append-only: never updated or deleted (but with their run). `seq` orders them in
 * their run (1, 2, …); each is also an audit row (`run.<type>`).
 */
export const runActivities = pgTable(
  "run_activities",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    tenantId: text("tenant_id").notNull(),
    runId: uuid("run_id")
      .notNull()
      .references(() => agentRuns.id, { onDelete: "cascade" }),
    seq: integer("seq").notNull(),
    type: text("type", { enum: activityTypes }).notNull(),
    authorId: uuid("author_id").references(() => workers.id, { onDelete: "set null" }),
    /** Markdown, stored as sent (never rendered as HTML). Empty for an action without a comment. */
    body: text("body").notNull().default(""),
    /** A thought shown only while it is the run's latest activity (kept, collapsed, afterwards). */
    ephemeral: boolean("ephemeral").notNull().default(false),
    /** `stop`: on a prompt, a person asks the agent to stop; on a response, the agent acknowledges it. */
    signal: text("signal", { enum: ["stop"] }),
    /** An action's tool, parameters (JSON) and result. */
    tool: text("tool"),
    parameters: jsonb("parameters"),
    result: text("result"),
    /** An elicitation's choices (none: a free-text answer), whether several may be picked, and whom it asks. */
    choices: jsonb("choices").$type<ElicitationChoice[]>(),
    multiple: boolean("multiple"),
    askedOfId: uuid("asked_of_id").references(() => workers.id, { onDelete: "set null" }),
    /** On a prompt that answers a question: the elicitation it answers and the choices picked. */
    answersId: uuid("answers_id"),
    selected: text("selected").array(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("run_activities_run_seq_uq").on(t.runId, t.seq),
    // A question is answered once: the first answer wins, a second is refused.
    uniqueIndex("run_activities_answer_uq").on(t.answersId).where(sql`${t.answersId} is not null`),
  ],
);

/**
 * Where an agent wants work pushed (dispatch): one endpoint per agent, guarded like webhook targets. The
 * secret signs every delivery, so it is kept retrievable (as webhooks'), shown when set or rotated.
 */
export const agentEndpoints = pgTable("agent_endpoints", {
  agentId: uuid("agent_id")
    .primaryKey()
    .references(() => workers.id, { onDelete: "cascade" }),
  tenantId: text("tenant_id").notNull(),
  url: text("url").notNull(),
  secret: text("secret").notNull(),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

export const dispatchReasons = ["assigned", "mentioned", "prompted"] as const;
export type DispatchReason = (typeof dispatchReasons)[number];

/**
 * The dispatch outbox: one row per delivery to an agent's endpoint, inserted in the transaction that assigned,
 * mentioned or prompted the agent, then sent and retried with backoff by the dispatcher (outbox/), as
 * webhook deliveries are; also the delivery log.
 */
export const agentDispatches = pgTable(
  "agent_dispatches",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    tenantId: text("tenant_id").notNull(),
    agentId: uuid("agent_id")
      .notNull()
      .references(() => workers.id, { onDelete: "cascade" }),
    runId: uuid("run_id")
      .notNull()
      .references(() => agentRuns.id, { onDelete: "cascade" }),
    reason: text("reason", { enum: dispatchReasons }).notNull(),
    /** The delivery's body, fixed when queued (what the agent needs to start). */
    payload: jsonb("payload").notNull(),
    status: text("status", { enum: ["pending", "delivered", "retrying", "failed"] })
      .notNull()
      .default("pending"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: timestamp("next_attempt_at", { withTimezone: true }).notNull().defaultNow(),
    lockedUntil: timestamp("locked_until", { withTimezone: true }),
    lastStatusCode: integer("last_status_code"),
    lastError: text("last_error"),
    lastDurationMs: integer("last_duration_ms"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    deliveredAt: timestamp("delivered_at", { withTimezone: true }),
  },
  (t) => [
    index("agent_dispatches_agent_idx").on(t.agentId, t.id),
    index("agent_dispatches_due_idx").on(t.nextAttemptAt).where(sql`${t.status} in ('pending', 'retrying')`),
  ],
);
