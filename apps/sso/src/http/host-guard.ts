import { isServedHost, requestHost, type ServedHosts } from "@taskflow/service-env";
import type { MiddlewareHandler } from "hono";

/**
 * Refuses a request whose Host is not one of ours (DNS rebinding: packages/service-env served-hosts.ts),
 * before any page, mailbox or endpoint sees it. A rebound page would otherwise be same-origin with
 * the SSO: it could read the dev mailbox and post password resets with its own Origin accepted as ours.
 */
export function hostGuard(served: ServedHosts): MiddlewareHandler {
  return async (c, next) => {
    if (isServedHost(requestHost(c.req.raw), served)) return next();
    return c.body(
      JSON.stringify({
        type: "about:blank",
        title: "Host not served",
        status: 403,
        detail: "This service does not answer to the host this request names (set ALLOWED_HOSTS to add one).",
      }),
      403,
      { "content-type": "application/problem+json" },
    );
  };
}
