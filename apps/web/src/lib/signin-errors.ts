/**
 * Why a sign-in failed, as the sign-in error page says it: a closed set of codes in the link
 * (`/signin-error?reason=<code>`), each mapped to our own words. The page never shows text from the
 * link: anyone can send a link to our origin, and words shown there read as ours ("your session
 * expired, re-enter your password at …"). What the SSO or the token check said goes to the log.
 */
export const signInErrorText = {
  expired: "The sign-in took too long or was started in another tab or browser. Sign in again.",
  denied: "The sign-in was cancelled, or you did not allow the dashboard to use your account.",
  refused:
    "The sign-in service refused the sign-in. Sign in again; if it keeps failing, ask your administrator.",
  failed: "The sign-in could not be completed. Sign in again; if it keeps failing, ask your administrator.",
} as const;

export type SignInErrorCode = keyof typeof signInErrorText;

const isCode = (value: unknown): value is SignInErrorCode =>
  typeof value === "string" && Object.hasOwn(signInErrorText, value);

/** The page's words for the link's `reason`: ours for a known code, the general ones for anything else. */
export function signInErrorMessage(reason: unknown): string {
  return signInErrorText[isCode(reason) ? reason : "failed"];
}

/** The code for an OAuth error the SSO sent back to the callback (RFC 6749 §4.1.2.1). */
export function codeForOAuthError(error: string): SignInErrorCode {
  return error === "access_denied" ? "denied" : "refused";
}

/** Where the callback sends the browser when the sign-in failed. */
export function signInErrorUrl(publicUrl: string, code: SignInErrorCode): URL {
  const url = new URL("/signin-error", publicUrl);
  url.searchParams.set("reason", code);
  return url;
}
