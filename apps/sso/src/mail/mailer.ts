import { randomBytes } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { smtpTransportOptions } from "@taskflow/service-env";
import nodemailer from "nodemailer";
import type { SmtpConfig } from "../env.ts";

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
}

export interface StoredMail extends MailMessage {
  id: string;
  from: string;
  sentAt: string;
}

export interface Mailer {
  /** "smtp" delivers through SMTP_HOST; "mailbox" writes to the dev mailbox under the data dir. */
  kind: "smtp" | "mailbox";
  send(message: MailMessage): Promise<void>;
  /** Newest first; empty for SMTP (there is nothing local to list). */
  list(): StoredMail[];
  close(): Promise<void>;
}

export function createMailer(options: { smtp?: SmtpConfig; from: string; mailboxDir: string }): Mailer {
  if (options.smtp) {
    const smtp = options.smtp;
    const transport = nodemailer.createTransport(smtpTransportOptions(smtp));
    return {
      kind: "smtp",
      send: async (message) => {
        await transport.sendMail({ from: options.from, ...message });
      },
      list: () => [],
      close: async () => {
        transport.close();
      },
    };
  }
  const dir = options.mailboxDir;
  return {
    kind: "mailbox",
    send: async (message) => {
      mkdirSync(dir, { recursive: true });
      const sentAt = new Date().toISOString();
      const id = `${sentAt.replace(/[^0-9]/g, "")}-${randomBytes(4).toString("hex")}`;
      const stored: StoredMail = { id, from: options.from, sentAt, ...message };
      writeFileSync(join(dir, `${id}.json`), JSON.stringify(stored, null, 2));
    },
    list: () => {
      let names: string[];
      try {
        names = readdirSync(dir).filter((name) => name.endsWith(".json"));
      } catch {
        return [];
      }
      return names
        .sort()
        .reverse()
        .map((name) => JSON.parse(readFileSync(join(dir, name), "utf8")) as StoredMail);
    },
    close: async () => {},
  };
}
