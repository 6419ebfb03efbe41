import { randomBytes } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { OutgoingMail, SendMail } from "@taskflow/core";
import { smtpTransportOptions } from "@taskflow/service-env";
import type { Transporter } from "nodemailer";
import type { NotificationConfig } from "../env.ts";

export interface MailTransport {
  /** "smtp": through SMTP_HOST; "mailbox": into the dev mailbox; "none": production without SMTP_HOST. */
  kind: "smtp" | "mailbox" | "none";
  send: SendMail | null;
  close(): Promise<void>;
}

/**
 * How the API's mail leaves. With SMTP_HOST, through that server (the chart sets the same SMTP values as the
 * SSO's). Without it, on the embedded database outside production (`npm start`), each mail is written to the dev
 * mailbox the SSO serves at `/dev/mailbox` (`<data dir>/sso-mailbox`, in the SSO's format), so a developer reads
 * the API's mail beside the SSO's. Otherwise no mail (the inbox still has everything).
 */
export function createMailTransport(mail: NotificationConfig["mail"]): MailTransport {
  if (mail.smtp) {
    const smtp = mail.smtp;
    // nodemailer is loaded with the first mail, not at startup: most processes send none for a long while, and
    // its 440 KB of code would sit in every idle process (packages/db open-database.ts has the figure).
    let transport: Promise<Transporter> | undefined;
    const connect = async () => {
      const { default: nodemailer } = await import("nodemailer");
      return nodemailer.createTransport(smtpTransportOptions(smtp));
    };
    return {
      kind: "smtp",
      send: async (message: OutgoingMail) => {
        transport ??= connect();
        await (await transport).sendMail({ from: mail.from, ...message });
      },
      close: async () => {
        (await transport)?.close();
      },
    };
  }
  const dir = mail.mailboxDir;
  if (!dir) return { kind: "none", send: null, close: async () => {} };
  return {
    kind: "mailbox",
    send: async (message: OutgoingMail) => {
      mkdirSync(dir, { recursive: true });
      const sentAt = new Date().toISOString();
      const id = `${sentAt.replace(/[^0-9]/g, "")}-${randomBytes(4).toString("hex")}`;
      const stored = {
        id,
        from: mail.from,
        sentAt,
        to: message.to,
        subject: message.subject,
        text: message.text,
        html: message.html,
      };
      writeFileSync(join(dir, `${id}.json`), JSON.stringify(stored, null, 2));
    },
    close: async () => {},
  };
}
