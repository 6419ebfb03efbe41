// A session signed in before a release that added a scope the dashboard asks for (taskflow:manage) keeps the
// old grant through every refresh, and the API would refuse it each administrative action. Such a session is
// sent through sign-in once more (silent: the SSO session exists and the dashboard skips consent), so the new
// grant carries every scope. A cookie remembers the attempt, so an SSO that will not grant the scope yet (an
// older pod during an upgrade) cannot cause a redirect loop.
import { decodeJwt } from "jose";
import { scopes } from "./oidc";

export const scopeUpgradeCookie = "tf_scope_upgrade";
/** One attempt a day: enough for an upgrade to finish rolling out. */
export const scopeUpgradeMaxAge = 24 * 3600;

/** The TaskFlow scopes the dashboard asks for that the access token was not granted. */
export function missingTaskflowScopes(accessToken: string): string[] {
  let granted: string[];
  try {
    const { scope } = decodeJwt(accessToken);
    // A token that states no scope is not one of the SSO's: leave it to the API.
    if (typeof scope !== "string") return [];
    granted = scope.split(" ");
  } catch {
    return [];
  }
  return scopes.split(" ").filter((scope) => scope.startsWith("taskflow:") && !granted.includes(scope));
}

/** A page the person navigates to (not a server action, a stream or a prefetch): safe to redirect. */
export function isPageNavigation(request: Request): boolean {
  return (
    request.method === "GET" &&
    request.headers.get("sec-fetch-mode") === "navigate" &&
    !request.headers.has("next-action") &&
    !new URL(request.url).pathname.startsWith("/api/")
  );
}
