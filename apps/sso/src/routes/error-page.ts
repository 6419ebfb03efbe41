import type { Hono } from "hono";
import { html, layout } from "../pages/html.ts";
import type { AppEnv } from "./context.ts";

/**
 * Our words for the error codes the OAuth provider and Better Auth send a browser to the error page
 * with (onAPIError.errorURL in auth.ts): what went wrong, and what to do next.
 */
const EXPLANATIONS: Record<string, { what: string; next: string }> = {
  invalid_redirect: {
    what: "The application asked us to send you back to an address it has not registered with TaskFlow.",
    next: "Go back to the application and start again from its sign-in button. If it happens again, tell whoever runs that application: its redirect address is not registered.",
  },
  invalid_client: {
    what: "The application that sent you here is not registered with TaskFlow, or did not say who it is.",
    next: "Go back to the application and try again. If it keeps happening, ask your administrator to register it.",
  },
  client_disabled: {
    what: "The application that sent you here has been switched off by an administrator.",
    next: "Ask your administrator whether it should be switched on again.",
  },
  unauthorized_client: {
    what: "The application that sent you here is not allowed to sign people in this way.",
    next: "Tell whoever runs that application; your account is fine.",
  },
  unsupported_response_type: {
    what: "The application asked for something this sign-in service does not offer.",
    next: "Tell whoever runs that application; your account is fine.",
  },
  invalid_request: {
    what: "The sign-in request was incomplete or malformed.",
    next: "Go back to the application and start again from its sign-in button.",
  },
  invalid_scope: {
    what: "The application asked for permissions that it may not have.",
    next: "Tell whoever runs that application; your account is fine.",
  },
  access_denied: {
    what: "The request was declined, so the application did not get access.",
    next: "If that was not your intention, go back to the application and start again.",
  },
  state_mismatch: {
    what: "The sign-in took too long or was started in another window.",
    next: "Start the sign-in again from the beginning, in one window.",
  },
  please_restart_the_process: {
    what: "The sign-in took too long or was started in another window.",
    next: "Start the sign-in again from the beginning, in one window.",
  },
};

const FALLBACK = {
  what: "Something went wrong while signing you in.",
  next: "Go back to the application and try again. If it keeps happening, tell your administrator when it happened and what you were doing.",
};

/** A code is shown only as a reference, and only when it looks like one: the page repeats no free text from the link. */
function reference(code: string | undefined): string | undefined {
  return code && /^[a-z][a-z0-9_]{0,63}$/i.test(code) ? code.toLowerCase() : undefined;
}

export function registerErrorPage(app: Hono<AppEnv>): void {
  app.get("/error", (c) => {
    const code = reference(c.req.query("error"));
    const words = (code && EXPLANATIONS[code]) || FALLBACK;
    // A self-registered client's error stays here (oauth/unverified-client-errors.ts): say why.
    const unverified = c.req.query("client") === "unverified";
    c.header("cache-control", "no-store");
    return c.html(
      layout({
        title: "Sign-in could not continue",
        body: html`<h1>Sign-in could not continue</h1>
<div class="notice error" role="alert"><p>${words.what}</p></div>
<h2>What to do next</h2>
<p>${words.next}</p>
${unverified ? html`<p>We did not send you on to the application: it registered itself with TaskFlow and nobody has checked it, so we only send you to its address after you have seen it on our consent page.</p>` : ""}
${code ? html`<p class="muted">Reference: <code>${code}</code></p>` : ""}
<p><a href="/account">Go to your TaskFlow account</a></p>`,
      }),
      400,
    );
  });
}
