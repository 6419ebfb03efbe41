import type { Hono } from "hono";
import { fromLoopback } from "../http/loopback.ts";
import { messagePage } from "../pages/auth-pages.ts";
import { html, layout } from "../pages/html.ts";
import { type AppContext, type AppEnv, currentSession, type Services } from "./context.ts";

/**
 * Who may read the dev mailbox. It shows every reset and confirmation link the SSO "sent", so whoever
 * reads it can take over any account: never in production; otherwise only from this machine, unless
 * DEV_MAILBOX_REMOTE_ADMINS opts in to serving it further, and then only to a signed-in administrator.
 */
async function mailboxRefusal(services: Services, c: AppContext): Promise<Response | undefined> {
  if (fromLoopback({ peerIp: c.get("peerIp"), clientIp: c.get("clientIp") })) return undefined;
  if (!services.config.devMailbox.remoteAdmins) return c.notFound();
  const session = await currentSession(services, c);
  if (!session) return c.redirect("/sign-in?callbackURL=%2Fdev%2Fmailbox", 303);
  if ((session.user as { role?: string | null }).role !== "admin") {
    return c.html(messagePage("Not allowed", "The dev mailbox is for administrators.", "error"), 403);
  }
  return undefined;
}

export function registerDevMailbox(app: Hono<AppEnv>, services: Services): void {
  if (services.config.production || services.mailer.kind !== "mailbox") return;
  app.get("/dev/mailbox", async (c) => {
    const refused = await mailboxRefusal(services, c);
    if (refused) return refused;
    const mails = services.mailer.list();
    c.header("cache-control", "no-store");
    return c.html(
      layout({
        title: "Dev mailbox",
        wide: true,
        body: html`<h1>Dev mailbox</h1>
<p class="muted">Mail TaskFlow would have sent: the SSO's, and the API's notifications (no SMTP_HOST is configured). Not available in production.</p>
${
  mails.length === 0
    ? html`<p>No mail yet.</p>`
    : mails.map(
        (mail) =>
          html`<article><h2>${mail.subject}</h2><p class="muted">To ${mail.to} · ${mail.sentAt}</p><pre style="white-space:pre-wrap">${mail.text}</pre>${(
            mail.text.match(/https?:\/\/\S+/g) ?? []
          ).map((link) => html`<p><a href="${link}">${link}</a></p>`)}</article>`,
      )
}`,
      }),
    );
  });
}
