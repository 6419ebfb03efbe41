import { field, type Html, hidden, html, layout, notice } from "./html.ts";

/** Shown wherever a username is chosen. The pages call it a handle (see README: why). */
export const USERNAME_HINT =
  "Optional. 3–30 letters, digits, _ or . — you can then sign in with it instead of your email address.";

export interface FormState {
  values?: Record<string, string>;
  errors?: Record<string, string>;
  message?: string;
  messageKind?: "info" | "error";
}

export function signInPage(
  state: FormState & { oauthQuery?: string; callbackURL?: string; upstream?: string },
): string {
  const v = state.values ?? {};
  const e = state.errors ?? {};
  return layout({
    title: "Sign in",
    body: html`<h1>Sign in to TaskFlow</h1>
${notice(state.message, state.messageKind)}
<form method="post" action="/sign-in" novalidate>
${hidden("oauth_query", state.oauthQuery)}
${hidden("callbackURL", state.callbackURL)}
${field({ name: "email", label: "Email or handle", autocomplete: "username", value: v.email ?? "", error: e.email })}
${field({ name: "password", label: "Password", type: "password", autocomplete: "current-password", error: e.password })}
<div class="actions"><button type="submit">Sign in</button></div>
</form>
${
  state.upstream
    ? html`<form method="post" action="/sign-in/upstream">${hidden("oauth_query", state.oauthQuery)}${hidden("callbackURL", state.callbackURL)}<button class="secondary" type="submit">Continue with ${state.upstream}</button></form>`
    : ""
}
<p><a href="/forgot-password">Forgot your password?</a></p>
<p>New here? <a href="/sign-up${state.oauthQuery ? `?${state.oauthQuery}` : ""}">Create an account</a></p>`,
  });
}

export function signUpPage(state: FormState & { oauthQuery?: string }): string {
  const v = state.values ?? {};
  const e = state.errors ?? {};
  return layout({
    title: "Create an account",
    body: html`<h1>Create your TaskFlow account</h1>
${notice(state.message, state.messageKind)}
<form method="post" action="/sign-up" novalidate>
${hidden("oauth_query", state.oauthQuery)}
${field({ name: "name", label: "Name", autocomplete: "name", value: v.name ?? "", error: e.name })}
${field({ name: "email", label: "Email", type: "email", autocomplete: "email", value: v.email ?? "", error: e.email })}
${field({
  name: "username",
  label: "Handle (optional)",
  autocomplete: "username",
  value: v.username ?? "",
  error: e.username,
  required: false,
  hint: USERNAME_HINT,
})}
${field({
  name: "password",
  label: "Password",
  type: "password",
  autocomplete: "new-password",
  error: e.password,
  hint: "At least 10 characters, and not your email address or handle.",
})}
<div class="actions"><button type="submit">Create account</button></div>
</form>
<p>Already have an account? <a href="/sign-in">Sign in</a></p>`,
  });
}

export function messagePage(title: string, message: Html | string, status?: "error"): string {
  return layout({
    title,
    body: html`<h1>${title}</h1>${typeof message === "string" ? notice(message, status === "error" ? "error" : "info") : message}
<p><a href="/sign-in">Go to sign-in</a></p>`,
  });
}

/**
 * Where a confirmation link that did not work lands (Better Auth redirects to our callback with
 * `error=TOKEN_EXPIRED`, `INVALID_TOKEN`, …): says so, and offers a new link.
 */
export function verificationFailedPage(state: FormState & { error: string; oauthQuery?: string }): string {
  const v = state.values ?? {};
  const e = state.errors ?? {};
  const expired = state.error === "TOKEN_EXPIRED";
  const title = expired ? "This confirmation link has expired" : "This confirmation link is not valid";
  const explanation = expired
    ? "Confirmation links work for 24 hours. Your email address is not confirmed yet."
    : "It may have been cut off when it was copied, or it was not sent by us. Your email address is not confirmed yet.";
  return layout({
    title,
    body: html`<h1>${title}</h1>
${notice(state.message ?? explanation, state.messageKind ?? "error")}
<h2>Send a new link</h2>
<form method="post" action="/verify-email/resend" novalidate>
${hidden("oauth_query", state.oauthQuery)}
${field({ name: "email", label: "Email", type: "email", autocomplete: "email", value: v.email ?? "", error: e.email })}
<div class="actions"><button type="submit">Send a new confirmation link</button></div>
</form>
<p><a href="/sign-in">Go to sign-in</a></p>`,
  });
}

export function forgotPasswordPage(state: FormState): string {
  const v = state.values ?? {};
  const e = state.errors ?? {};
  return layout({
    title: "Forgot password",
    body: html`<h1>Reset your password</h1>
${notice(state.message, state.messageKind)}
<form method="post" action="/forgot-password" novalidate>
${field({ name: "email", label: "Email", type: "email", autocomplete: "email", value: v.email ?? "", error: e.email })}
<div class="actions"><button type="submit">Send reset link</button></div>
</form>
<p><a href="/sign-in">Back to sign-in</a></p>`,
  });
}

export function resetPasswordPage(state: FormState & { token: string }): string {
  const e = state.errors ?? {};
  return layout({
    title: "Choose a new password",
    body: html`<h1>Choose a new password</h1>
${notice(state.message, state.messageKind)}
<form method="post" action="/reset-password" novalidate>
${hidden("token", state.token)}
${field({
  name: "password",
  label: "New password",
  type: "password",
  autocomplete: "new-password",
  error: e.password,
  hint: "At least 10 characters, and not your email address or handle.",
})}
<div class="actions"><button type="submit">Set password</button></div>
</form>`,
  });
}

export function consentPage(options: {
  clientName: string;
  /** Configured or made by an administrator; otherwise it registered itself (oauth/client-trust.ts). */
  verified: boolean;
  /** Where the answer goes: the host of this request's redirect URI. */
  redirectHost: string;
  scopes: string[];
  userEmail: string;
  oauthQuery: string;
}): string {
  const describe: Record<string, string> = {
    openid: "Confirm who you are",
    profile: "See your name",
    email: "See your email address",
    offline_access: "Stay signed in (refresh tokens)",
    "taskflow:read": "Read your TaskFlow projects and tasks",
    "taskflow:write": "Create and change TaskFlow projects and tasks",
    "taskflow:manage":
      "Administer TaskFlow: project settings, members, webhooks, deleting projects, agents and their keys",
    organizations: "See the organizations you belong to and your role in each",
  };
  // A self-registered client's name is free text ("TaskFlow dashboard" is one anyone can register): it is
  // shown as what the application calls itself, beside who receives the answer.
  const name = options.verified ? html`${options.clientName}` : html`“${options.clientName}”`;
  return layout({
    title: "Allow access",
    signedIn: true,
    body: html`<h1>Allow ${name} to access your account?</h1>
${
  options.verified
    ? ""
    : html`<div class="notice error" role="alert"><p><strong>Unverified application.</strong> It registered itself with TaskFlow: nobody has checked who runs it, and “${options.clientName}” is only the name it gave itself. Allow it only if you started this yourself, from a program you trust, and ${options.redirectHost} belongs to it.</p></div>`
}
<p>Signed in as <strong>${options.userEmail}</strong>.</p>
<p>${name} asks to:</p>
<ul class="scopes">${options.scopes.map((scope) => html`<li>${describe[scope] ?? scope} <span class="muted">(${scope})</span></li>`)}</ul>
<p>Whatever you answer, you will be sent to <strong>${options.redirectHost}</strong>.</p>
<form method="post" action="/consent">
${hidden("oauth_query", options.oauthQuery)}
<div class="actions">
<button type="submit" name="accept" value="yes">Allow</button>
<button class="secondary" type="submit" name="accept" value="no">Deny</button>
</div>
</form>`,
  });
}
