import type { EmailMode, NotificationKind } from "../db/schema/notifications.ts";

export {
  type EmailMode,
  emailModes,
  type NotificationKind,
  notificationKinds,
} from "../db/schema/notifications.ts";

export interface KindRule {
  /** What the person is told of, for the settings page and the README. */
  what: string;
  /** Who receives it. */
  who: string;
  /** The mail a person gets until they choose (the inbox always has it). */
  defaultEmail: EmailMode;
}

/**
 * Every kind of notification: when it is sent, to whom, and the mail it gets by default. Things that need
 * an answer soon (a question, a mention, a due date) mail at once; news of work mails in the daily digest.
 * Whoever caused a notification is never told of it, and only people who are members of the task's
 * project receive one (agents learn of work through their runs).
 */
export const notificationRules: Record<NotificationKind, KindRule> = {
  assigned: {
    what: "a task is assigned to you",
    who: "the new assignee (a person), by whoever assigns or creates the task, or a series' next occurrence",
    defaultEmail: "digest",
  },
  review_requested: {
    what: "a task moves to review where you review",
    who: "the task's creator when they may review it (admin or owner of the project); otherwise every admin and owner of the project",
    defaultEmail: "digest",
  },
  question: {
    what: "an agent asks you a question",
    who: "the person the agent asks; when it names no one, the task's reviewers (as for a review)",
    defaultEmail: "immediate",
  },
  outcome: {
    what: "an answer or outcome on a task you created",
    who: "the task's creator: when the agent working on it answers, and when the task is completed",
    defaultEmail: "digest",
  },
  mention: {
    what: "someone @mentions you in a comment",
    who: "each person whose @handle the comment names",
    defaultEmail: "immediate",
  },
  stop_acknowledged: {
    what: "an agent acknowledged the stop you asked for",
    who: "the person who asked the agent to stop",
    defaultEmail: "digest",
  },
  due_soon: {
    what: "a task is due within 24 hours, and again within 1 hour",
    who: "the task's assignee when a person; otherwise its creator",
    defaultEmail: "immediate",
  },
  overdue: {
    what: "a task passed its due date and is not completed",
    who: "the task's assignee (a person) and its creator",
    defaultEmail: "immediate",
  },
};
