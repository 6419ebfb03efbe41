import { z } from "@hono/zod-openapi";
import { Cursor, Id, PageLimit, page, Timestamp } from "./common.ts";
import { WorkerSummary } from "./workers.ts";

export const notificationKindValues = [
  "assigned",
  "review_requested",
  "question",
  "outcome",
  "mention",
  "stop_acknowledged",
  "due_soon",
  "overdue",
] as const;

export const NotificationKind = z.enum(notificationKindValues).openapi("NotificationKind", {
  description:
    "assigned: a task was assigned to you; review_requested: a task moved to review where you review; " +
    "question: an agent asks you; outcome: an answer or outcome on a task you created; mention: a comment " +
    "@mentions you; stop_acknowledged: an agent stopped as you asked; due_soon: a task is due within 24 h " +
    "(and again within 1 h); overdue: a task passed its due date",
});
export type NotificationKind = z.infer<typeof NotificationKind>;

export const EmailMode = z.enum(["immediate", "digest", "off"]).openapi("EmailMode", {
  description:
    "immediate: a mail at once; digest: in the daily digest; off: no mail (the inbox always has it)",
});
export type EmailMode = z.infer<typeof EmailMode>;

export const Notification = z
  .object({
    id: Id,
    /** Increasing; the live stream's event id. */
    seq: z.string().regex(/^\d+$/).openapi({ description: "Increasing sequence number" }),
    kind: NotificationKind,
    title: z.string().openapi({ example: "Ada assigned you “Fix the login”" }),
    body: z.string().openapi({ description: "The question, comment or answer, as written (Markdown)" }),
    projectId: Id,
    taskId: Id.nullable(),
    runId: Id.nullable().openapi({ description: "The agent run it came from, if any" }),
    actor: WorkerSummary.nullable().openapi({ description: "Who caused it; null for the system" }),
    readAt: Timestamp.nullable(),
    createdAt: Timestamp,
  })
  .openapi("Notification");
export type Notification = z.infer<typeof Notification>;

export const NotificationQuery = z.strictObject({
  kind: NotificationKind.optional().openapi({ description: "Only this kind" }),
  unread: z.enum(["true", "false"]).optional().openapi({ description: "`true`: only unread ones" }),
  limit: PageLimit,
  cursor: Cursor.optional(),
});
export type NotificationQuery = z.infer<typeof NotificationQuery>;

export const NotificationPage = page(Notification, "NotificationPage");
export type NotificationPage = z.infer<typeof NotificationPage>;

export const UnreadCountQuery = z.strictObject({
  kind: NotificationKind.optional().openapi({ description: "Count only this kind" }),
});

export const UnreadCount = z
  .object({
    unread: z.number().int().min(0),
    byKind: z
      .record(z.string(), z.number().int().min(0))
      .openapi({ description: "Unread notifications per kind (kinds with none are left out)" }),
  })
  .openapi("UnreadCount");
export type UnreadCount = z.infer<typeof UnreadCount>;

export const MarkAllRead = z
  .strictObject({
    kind: NotificationKind.optional().openapi({ description: "Only this kind; every kind when left out" }),
  })
  .openapi("MarkAllRead");
export type MarkAllRead = z.infer<typeof MarkAllRead>;

export const MarkedRead = z
  .object({ marked: z.number().int().min(0).openapi({ description: "How many were unread" }) })
  .openapi("MarkedRead");
export type MarkedRead = z.infer<typeof MarkedRead>;

export const KindSetting = z
  .object({
    kind: NotificationKind,
    what: z.string().openapi({ description: "When it is sent" }),
    inApp: z.literal("always").openapi({ description: "The inbox always receives it" }),
    email: EmailMode,
    defaultEmail: EmailMode,
  })
  .openapi("KindSetting");

export const NotificationSettings = z
  .object({
    emailAddress: z
      .string()
      .nullable()
      .openapi({ description: "Where mail goes (from your sign-in); null: no mail can be sent" }),
    kinds: z.array(KindSetting),
  })
  .openapi("NotificationSettings");
export type NotificationSettings = z.infer<typeof NotificationSettings>;

export const NotificationSettingsUpdate = z
  .strictObject(
    Object.fromEntries(notificationKindValues.map((kind) => [kind, EmailMode.optional()])) as Record<
      NotificationKind,
      z.ZodOptional<typeof EmailMode>
    >,
  )
  .openapi("NotificationSettingsUpdate", {
    description: "The mail you want per kind; kinds left out keep theirs",
    example: { mention: "immediate", assigned: "digest", due_soon: "off" },
  });
export type NotificationSettingsUpdate = z.infer<typeof NotificationSettingsUpdate>;
