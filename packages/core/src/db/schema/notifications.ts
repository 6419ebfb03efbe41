import { sql } from "drizzle-orm";
import {
  bigserial,
  date,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
} from "drizzle-orm/pg-core";
import { projects } from "./projects.ts";
import { agentRuns } from "./runs.ts";
import { tasks } from "./tasks.ts";
import { workers } from "./workers.ts";

/** What a person is told of (notifications/kinds.ts says when each is sent and to whom). */
export const notificationKinds = [
  "assigned",
  "review_requested",
  "question",
  "outcome",
  "mention",
  "stop_acknowledged",
  "due_soon",
  "overdue",
] as const;
export type NotificationKind = (typeof notificationKinds)[number];

/** How a person wants mail of one kind: at once, in the daily digest, or none (the inbox always has it). */
export const emailModes = ["immediate", "digest", "off"] as const;
export type EmailMode = (typeof emailModes)[number];

/**
 * Where a notification's mail stands: `pending` until the mailer decides; `digest` waiting for the person's daily
 * digest; then `sent`, `skipped` (no mail wanted, no address, read before the digest, project left) or `failed`.
 */
export const notificationEmailStates = ["pending", "digest", "sent", "skipped", "failed"] as const;
export type NotificationEmailState = (typeof notificationEmailStates)[number];

/**
 * A person's inbox: one row per notification and recipient. It lives as long as its project (and task);
 * a recipient who leaves the project no longer sees its rows (notifications/notification-access.ts),
 * and sees them again if added back.
 */
export const notifications = pgTable(
  "notifications",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    /** Increasing: the inbox's order, its page cursor and the live stream's event id. */
    seq: bigserial("seq", { mode: "number" }).notNull().unique(),
    tenantId: text("tenant_id").notNull(),
    recipientId: uuid("recipient_id")
      .notNull()
      .references(() => workers.id, { onDelete: "cascade" }),
    projectId: uuid("project_id")
      .notNull()
      .references(() => projects.id, { onDelete: "cascade" }),
    taskId: uuid("task_id").references(() => tasks.id, { onDelete: "cascade" }),
    kind: text("kind", { enum: notificationKinds }).notNull(),
    /** Who caused it; null for the system (a due reminder). */
    actorId: uuid("actor_id").references(() => workers.id, { onDelete: "set null" }),
    /** One line for the inbox and the mail's subject. */
    title: text("title").notNull(),
    /** More words: the question, the comment, the answer (Markdown as written, cut to a bound). */
    body: text("body").notNull().default(""),
    /** The agent run it came from (a question, an answer), when there is one. */
    runId: uuid("run_id").references(() => agentRuns.id, { onDelete: "set null" }),
    readAt: timestamp("read_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    emailState: text("email_state", { enum: notificationEmailStates }).notNull().default("pending"),
    emailAttempts: integer("email_attempts").notNull().default(0),
    emailedAt: timestamp("emailed_at", { withTimezone: true }),
  },
  (t) => [
    // The inbox, newest first, per person (and per kind, filtered on the same range).
    index("notifications_recipient_seq_idx").on(t.recipientId, t.seq),
    // The unread count reads only this index: the person's unread rows with the project (visibility) and kind.
    index("notifications_unread_idx").on(t.recipientId, t.projectId, t.kind).where(sql`${t.readAt} is null`),
    // What the mailer still has to decide.
    index("notifications_email_pending_idx").on(t.recipientId, t.seq).where(sql`${t.emailState} = 'pending'`),
    index("notifications_task_idx").on(t.taskId),
  ],
);

/** A person's choice of mail per kind; a kind without a row has its default (notifications/kinds.ts). */
export const notificationSettings = pgTable(
  "notification_settings",
  {
    workerId: uuid("worker_id")
      .notNull()
      .references(() => workers.id, { onDelete: "cascade" }),
    kind: text("kind", { enum: notificationKinds }).notNull(),
    email: text("email", { enum: emailModes }).notNull(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.workerId, t.kind] })],
);

/** The moments a due reminder is sent at, relative to the due date (notifications/due-reminders.ts). */
export const reminderMoments = ["due_in_24h", "due_in_1h", "overdue"] as const;
export type ReminderMoment = (typeof reminderMoments)[number];

/**
 * One row per task, due date and moment whose reminder was sent: the key that makes a reminder happen once,
 * whichever replica sends it and however often it restarts. A changed due date has keys of its own.
 */
export const dueReminders = pgTable(
  "due_reminders",
  {
    taskId: uuid("task_id")
      .notNull()
      .references(() => tasks.id, { onDelete: "cascade" }),
    dueAt: timestamp("due_at", { withTimezone: true }).notNull(),
    moment: text("moment", { enum: reminderMoments }).notNull(),
    tenantId: text("tenant_id").notNull(),
    sentAt: timestamp("sent_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.taskId, t.dueAt, t.moment] })],
);

/** One daily digest per person and day (UTC): taken before it is sent, so no day has two. */
export const notificationDigests = pgTable(
  "notification_digests",
  {
    workerId: uuid("worker_id")
      .notNull()
      .references(() => workers.id, { onDelete: "cascade" }),
    day: date("day", { mode: "string" }).notNull(),
    items: integer("items").notNull().default(0),
    sentAt: timestamp("sent_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.workerId, t.day] })],
);
