import type { NotificationKind } from "../../db/schema/notifications.ts";
import { notificationRules } from "../kinds.ts";
import { unsubscribeToken } from "./unsubscribe-token.ts";

/** A mail ready for the transport (SMTP, or the dev mailbox). */
export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  html: string;
  headers: Record<string, string>;
}

export interface MailLinks {
  /** The dashboard's public address: tasks, the inbox and the settings are linked there. */
  dashboardUrl: string;
  /** The API's public address: unsubscribe links point there (they work without signing in). */
  apiUrl: string;
  /** Signs unsubscribe links (NOTIFICATION_SECRET). */
  secret: string;
}

export interface MailItem {
  kind: NotificationKind;
  title: string;
  body: string;
  taskId: string | null;
}

const trim = (url: string) => url.replace(/\/+$/, "");

export function unsubscribeUrl(links: MailLinks, workerId: string, kinds: NotificationKind[]): string {
  return `${trim(links.apiUrl)}/unsubscribe?token=${unsubscribeToken(links.secret, { workerId, kinds })}`;
}

function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c,
  );
}

function taskUrl(links: MailLinks, item: MailItem): string {
  return item.taskId
    ? `${trim(links.dashboardUrl)}/tasks/${item.taskId}`
    : `${trim(links.dashboardUrl)}/inbox`;
}

/** RFC 2369 and RFC 8058: mail clients offer "unsubscribe", and may do it in one click (a POST). */
function unsubscribeHeaders(url: string): Record<string, string> {
  return { "List-Unsubscribe": `<${url}>`, "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" };
}

/** One notification, mailed at once. */
export function composeImmediateMail(
  links: MailLinks,
  recipient: { workerId: string; email: string },
  item: MailItem,
): OutgoingMail {
  const stop = unsubscribeUrl(links, recipient.workerId, [item.kind]);
  const settings = `${trim(links.dashboardUrl)}/account/notifications`;
  const open = taskUrl(links, item);
  const why = notificationRules[item.kind].what;
  const text = [
    item.title,
    ...(item.body ? ["", item.body] : []),
    "",
    `Open it: ${open}`,
    `Everything that needs you: ${trim(links.dashboardUrl)}/inbox`,
    "",
    `You get this mail when ${why}.`,
    `Stop these mails: ${stop}`,
    `Choose your mail: ${settings}`,
  ].join("\n");
  const html = [
    `<p><strong>${escapeHtml(item.title)}</strong></p>`,
    ...(item.body
      ? [`<pre style="white-space:pre-wrap;font-family:inherit">${escapeHtml(item.body)}</pre>`]
      : []),
    `<p><a href="${escapeHtml(open)}">Open it</a> · <a href="${escapeHtml(`${trim(links.dashboardUrl)}/inbox`)}">Everything that needs you</a></p>`,
    `<p style="color:#666;font-size:small">You get this mail when ${escapeHtml(why)}. ` +
      `<a href="${escapeHtml(stop)}">Stop these mails</a> · <a href="${escapeHtml(settings)}">Choose your mail</a></p>`,
  ].join("\n");
  return {
    to: recipient.email,
    subject: `[TaskFlow] ${item.title}`,
    text,
    html,
    headers: unsubscribeHeaders(stop),
  };
}

/** The day's digest: the person's unread notifications of the kinds they get as a digest, by kind. */
export function composeDigestMail(
  links: MailLinks,
  recipient: { workerId: string; email: string },
  items: MailItem[],
  day: string,
): OutgoingMail {
  const kinds = [...new Set(items.map((item) => item.kind))];
  const stopAll = unsubscribeUrl(links, recipient.workerId, kinds);
  const settings = `${trim(links.dashboardUrl)}/account/notifications`;
  const inbox = `${trim(links.dashboardUrl)}/inbox`;
  const sections = kinds.map((kind) => ({
    kind,
    heading: notificationRules[kind].what,
    stop: unsubscribeUrl(links, recipient.workerId, [kind]),
    items: items.filter((item) => item.kind === kind),
  }));
  const text = [
    `Your TaskFlow digest for ${day}: ${items.length} notification${items.length === 1 ? "" : "s"}.`,
    `Everything that needs you: ${inbox}`,
    ...sections.flatMap((section) => [
      "",
      `When ${section.heading}:`,
      ...section.items.map((item) => `- ${item.title} ${taskUrl(links, item)}`),
      `  Stop mails of this kind: ${section.stop}`,
    ]),
    "",
    `Stop all of these digests: ${stopAll}`,
    `Choose your mail: ${settings}`,
  ].join("\n");
  const html = [
    `<p>Your TaskFlow digest for ${escapeHtml(day)}: ${items.length} notification${items.length === 1 ? "" : "s"}. <a href="${escapeHtml(inbox)}">Everything that needs you</a></p>`,
    ...sections.map(
      (section) =>
        `<h3>When ${escapeHtml(section.heading)}</h3><ul>${section.items
          .map(
            (item) => `<li><a href="${escapeHtml(taskUrl(links, item))}">${escapeHtml(item.title)}</a></li>`,
          )
          .join(
            "",
          )}</ul><p style="font-size:small"><a href="${escapeHtml(section.stop)}">Stop mails of this kind</a></p>`,
    ),
    `<p style="color:#666;font-size:small"><a href="${escapeHtml(stopAll)}">Stop all of these digests</a> · <a href="${escapeHtml(settings)}">Choose your mail</a></p>`,
  ].join("\n");
  return {
    to: recipient.email,
    subject: `[TaskFlow] Your digest: ${items.length} notification${items.length === 1 ? "" : "s"}`,
    text,
    html,
    headers: unsubscribeHeaders(stopAll),
  };
}
