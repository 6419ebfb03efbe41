import { createRoute, z } from "@hono/zod-openapi";
import { checkUnsubscribeLink, type NotificationKind, notificationRules, unsubscribe } from "@taskflow/core";
import type { ApiApp } from "../../app-env.ts";
import { problems } from "../../openapi/route-helpers.ts";

export interface UnsubscribeDependencies {
  /** Signs and checks unsubscribe links (NOTIFICATION_SECRET). */
  secret: string;
  /** Where the dashboard's notification settings are. */
  dashboardUrl: string;
}

const Query = z.object({
  token: z
    .string()
    .min(1)
    .max(4000)
    .regex(/^[A-Za-z0-9._-]+$/, "the token of an unsubscribe link")
    .openapi({ description: "The token of the link in the mail (signed by TaskFlow)" }),
});

const html = (description: string) => ({ description, content: { "text/html": { schema: z.string() } } });

const showRoute = createRoute({
  method: "get",
  path: "/unsubscribe",
  tags: ["Notifications"],
  summary: "The page an unsubscribe link in a mail opens: asks to confirm (no sign-in)",
  description:
    "Changes nothing (mail scanners open links): the page's button posts to the same address. A link TaskFlow " +
    "did not sign, or one changed by a single character, answers 404.",
  security: [],
  request: { query: Query },
  responses: { 200: html("A page asking to confirm"), ...problems(400, 404) },
});

const confirmRoute = createRoute({
  method: "post",
  path: "/unsubscribe",
  tags: ["Notifications"],
  summary: "Unsubscribe: no more mail of the link's kinds for its person (no sign-in; RFC 8058 one-click)",
  description:
    "The link's signature (HMAC-SHA256 under NOTIFICATION_SECRET) is the proof: it names the person and the " +
    "kinds, and nothing else can be made to. Mail clients' one-click unsubscribe (`List-Unsubscribe-Post`) " +
    "posts here too. The inbox keeps receiving them. Audited as `notification_settings.unsubscribed`.",
  security: [],
  request: { query: Query },
  responses: { 200: html("Done"), ...problems(400, 404) },
});

function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c,
  );
}

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${escapeHtml(title)} · TaskFlow</title></head><body style="font-family:system-ui,sans-serif;max-width:36rem;margin:3rem auto;padding:0 1rem;line-height:1.5"><h1>${escapeHtml(title)}</h1>${body}</body></html>`;
}

const kindsList = (kinds: NotificationKind[]) =>
  `<ul>${kinds.map((kind) => `<li>when ${escapeHtml(notificationRules[kind].what)}</li>`).join("")}</ul>`;

/** The unsubscribe page and its confirmation, outside `/api`: they need no credential but the link's own. */
export function registerUnsubscribe(app: ApiApp, deps: UnsubscribeDependencies): void {
  app.openapi(showRoute, async (c) => {
    const grant = await checkUnsubscribeLink(c.var.db, deps.secret, c.req.valid("query").token);
    c.header("cache-control", "no-store");
    c.header("referrer-policy", "no-referrer");
    return c.html(
      page(
        "Stop these mails?",
        `<p>You will no longer get mail ${grant.kinds.length === 1 ? "" : "of these kinds "}from TaskFlow:</p>${kindsList(grant.kinds)}` +
          `<p>Your inbox on the dashboard keeps showing them.</p>` +
          `<form method="post"><button type="submit">Unsubscribe</button></form>`,
      ),
      200,
    );
  });
  app.openapi(confirmRoute, async (c) => {
    const grant = await unsubscribe(c.var.db, deps.secret, c.req.valid("query").token);
    const settings = `${deps.dashboardUrl.replace(/\/+$/, "")}/account/notifications`;
    c.header("cache-control", "no-store");
    c.header("referrer-policy", "no-referrer");
    return c.html(
      page(
        "Unsubscribed",
        `<p>No more mail from TaskFlow:</p>${kindsList(grant.kinds)}` +
          `<p>Change your mind any time in your <a href="${escapeHtml(settings)}">notification settings</a>.</p>`,
      ),
      200,
    );
  });
}
