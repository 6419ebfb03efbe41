import type { MiddlewareHandler } from "hono";

/**
 * DNS-rebinding protection: a request must name one of our hosts, and a browser's Origin must be
 * one we allow. Anything else is refused before authentication.
 */
export function requestGuard(options: {
  allowedHosts: string[];
  allowedOrigins: string[];
}): MiddlewareHandler {
  const hosts = new Set(options.allowedHosts.map((h) => h.toLowerCase()));
  const origins = new Set(options.allowedOrigins);
  return async (c, next) => {
    const host = (c.req.header("host") ?? "").toLowerCase();
    if (!hosts.has(host)) {
      return c.json({ error: "forbidden_host", message: `Host ${host || "(none)"} is not served here` }, 403);
    }
    const origin = c.req.header("origin");
    // Same-origin requests (a page served by this very host) are not rebinding: the Host is ours.
    if (origin && !origins.has(origin) && !sameOrigin(origin, host)) {
      return c.json({ error: "forbidden_origin", message: `Origin ${origin} is not allowed` }, 403);
    }
    await next();
  };
}

function sameOrigin(origin: string, host: string): boolean {
  try {
    return new URL(origin).host.toLowerCase() === host;
  } catch {
    return false;
  }
}
