import { inArray } from "drizzle-orm";
import type { TaskflowDb } from "../db/database.ts";
import { notifications } from "../db/schema/notifications.ts";
import { sendDueReminders } from "./due-reminders.ts";
import type { MailLinks } from "./mail/compose-mail.ts";
import {
  deliverDigests,
  deliverImmediateMail,
  type MailReport,
  type SendMail,
} from "./mail/mail-delivery.ts";

/** Advisory lock id the notification scheduler's leader holds (migrations hold 7_300_002). */
export const notificationLeaderLockId = 7_300_003;

export interface NotificationSchedulerOptions {
  /** Whether this replica leads now (holdLeadership in @taskflow/db): only the leader works. */
  isLeader: () => boolean;
  /** How mail leaves (SMTP, the dev mailbox); null: no mail, notifications stay in the inbox only. */
  send: SendMail | null;
  links: MailLinks;
  /** The hour of each person's day (their time zone, UTC until they choose one) from which their digest goes out. */
  digestHour: number;
  /** How often the leader looks for due reminders and mail to send. */
  intervalMs: number;
  /** The clock; tests move it by hand. */
  now?: () => Date;
  onError?: (error: unknown) => void;
}

export interface TickReport extends MailReport {
  /** False when this replica did not lead, so did nothing. */
  led: boolean;
  reminders: number;
}

/**
 * The API's scheduler: on the replica that leads, every `intervalMs` (and soon after a new notification is
 * announced), it sends the due reminders whose moment has come (due-reminders.ts) and the mail of new
 * notifications, then the daily digests (mail/mail-delivery.ts). Reminders are exactly once whatever leads
 * (a key in the database); leading only keeps the replicas from doing the same work twice, and mail from
 * going twice.
 */
export class NotificationScheduler {
  readonly #db: TaskflowDb;
  readonly #options: NotificationSchedulerOptions;
  #timer: NodeJS.Timeout | undefined;
  #soon: NodeJS.Timeout | undefined;
  #running: Promise<TickReport> | undefined;
  #again = false;
  #stopped = true;

  constructor(db: TaskflowDb, options: NotificationSchedulerOptions) {
    this.#db = db;
    this.#options = options;
  }

  start(): void {
    this.#stopped = false;
    this.#schedule(this.#options.intervalMs);
  }

  /** Feed it the `taskflow_inbox` channel: a new notification's mail goes within a second, not a tick. */
  readonly onNotification = (): void => {
    if (this.#stopped || this.#soon || !this.#options.isLeader()) return;
    this.#soon = setTimeout(() => {
      this.#soon = undefined;
      void this.tick().catch(() => undefined);
    }, 500);
  };

  /** One round of work (when leading). Rounds never overlap: one asked for meanwhile runs after. */
  async tick(): Promise<TickReport> {
    if (this.#running) {
      this.#again = true;
      return this.#running;
    }
    this.#running = this.#round();
    try {
      return await this.#running;
    } finally {
      this.#running = undefined;
      if (this.#again && !this.#stopped) {
        this.#again = false;
        void this.tick().catch(() => undefined);
      }
    }
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    if (this.#soon) clearTimeout(this.#soon);
    await this.#running?.catch(() => undefined);
  }

  #schedule(delay: number): void {
    if (this.#stopped) return;
    this.#timer = setTimeout(() => {
      void this.tick()
        .catch(() => undefined)
        .finally(() => this.#schedule(this.#options.intervalMs));
    }, delay);
  }

  async #round(): Promise<TickReport> {
    const report: TickReport = {
      led: false,
      reminders: 0,
      sent: 0,
      digested: 0,
      skipped: 0,
      failed: 0,
      digests: 0,
    };
    if (!this.#options.isLeader()) return report;
    report.led = true;
    const now = (this.#options.now ?? (() => new Date()))();
    try {
      report.reminders = (await sendDueReminders(this.#db, now)).sent;
    } catch (error) {
      this.#options.onError?.(error);
    }
    const send = this.#options.send;
    if (!send) {
      // No way to send mail here: nothing waits for it, so a mail server set up later does not flood anyone.
      await this.#db
        .update(notifications)
        .set({ emailState: "skipped" })
        .where(inArray(notifications.emailState, ["pending", "digest"]))
        .catch((error: unknown) => this.#options.onError?.(error));
      return report;
    }
    const mail = {
      send,
      links: this.#options.links,
      digestHour: this.#options.digestHour,
      now,
      ...(this.#options.onError ? { onError: this.#options.onError } : {}),
    };
    try {
      await deliverImmediateMail(this.#db, mail, report);
      await deliverDigests(this.#db, mail, report);
    } catch (error) {
      this.#options.onError?.(error);
    }
    return report;
  }
}
