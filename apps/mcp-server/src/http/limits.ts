import { getConnInfo } from "@hono/node-server/conninfo";
import { type Actor, defaultRateLimitSyncMs, SharedRateLimiter, type TaskflowDb } from "@taskflow/core";
import { clientAddress } from "@taskflow/service-env";
import type { Context, MiddlewareHandler } from "hono";
import type { Logger } from "pino";

/** RATE_LIMIT_* and TRUST_PROXY, as the API reads them: requests per window. */
export interface RateLimitSettings {
  windowSeconds: number;
  /** Requests per window from one client address (0: no limit). */
  perAddress: number;
  /** Requests per window of one caller: an agent key, or a person (0: no limit). */
  perCaller: number;
  /** Proxies in front whose `X-Forwarded-For` entries are believed (0: none). */
  trustedProxies: number;
  /** How often counts are shared with the other replicas (RATE_LIMIT_SYNC_MS; default 250). */
  syncIntervalMs?: number;
}

/** The settings and the counter that applies them (one per process, synced in the background). */
export interface RateLimits {
  settings: RateLimitSettings;
  limiter: SharedRateLimiter;
}

/** Starts counting: the limiter syncs with the other replicas until `limiter.stop()`. */
export function startRateLimits(db: TaskflowDb, settings: RateLimitSettings, logger: Logger): RateLimits {
  const limiter = new SharedRateLimiter(db, {
    windowSeconds: settings.windowSeconds,
    syncIntervalMs: settings.syncIntervalMs ?? defaultRateLimitSyncMs,
    onError: (error) =>
      logger.warn({ err: error }, "rate-limit counts could not be shared; counting on in this process"),
  });
  return { settings, limiter: limiter.start() };
}

/** An RFC 9457 answer, as the API gives them (the transport's own refusals, before MCP is spoken). */
export function problem(
  c: Context,
  status: number,
  code: string,
  title: string,
  detail: string,
  headers: Record<string, string> = {},
  extensions: Record<string, unknown> = {},
): Response {
  const body = {
    type: `https://taskflow.dev/problems/${code.replaceAll("_", "-")}`,
    title,
    status,
    code,
    detail,
    instance: new URL(c.req.url).pathname,
    ...extensions,
  };
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/problem+json", ...headers },
  });
}

/**
 * Rate limits counted in this process and shared with the other replicas through the database (the
 * API's table, buckets prefixed `mcp:`; SharedRateLimiter in packages/core says how and the bound):
 * `byAddress` before authentication, `byCaller` once the caller is known.
 */
export function mcpRateLimits({ settings, limiter }: RateLimits) {
  const { windowSeconds } = settings;
  const tooMany = (c: Context, kind: string, limit: number, retryAfterSeconds: number) =>
    problem(
      c,
      429,
      "rate_limited",
      "Too many requests",
      `more than ${limit} requests in ${windowSeconds} s from this ${kind}; retry in ${retryAfterSeconds} s`,
      { "retry-after": String(retryAfterSeconds) },
      { retryAfterSeconds },
    );

  const byAddress: MiddlewareHandler = async (c, next) => {
    if (settings.perAddress <= 0) return next();
    let socketAddress: string | undefined;
    try {
      socketAddress = getConnInfo(c).remote.address;
    } catch {
      socketAddress = undefined;
    }
    const address = clientAddress(socketAddress, c.req.header("x-forwarded-for"), settings.trustedProxies);
    const verdict = limiter.hit({ key: `mcp:addr:${address}`, limit: settings.perAddress });
    if (verdict.limited) return tooMany(c, "address", verdict.limit, verdict.retryAfterSeconds);
    await next();
  };

  /**
   * Counts a request of this caller as `calls` requests (each message of a JSON-RPC batch is one); a
   * 429 answer when over the limit, nothing otherwise.
   */
  const byCaller = (c: Context, actor: Actor, calls = 1): Response | undefined => {
    if (settings.perCaller <= 0) return undefined;
    const key = actor.keyId ? `mcp:key:${actor.keyId}` : `mcp:worker:${actor.workerId}`;
    const verdict = limiter.hit({ key, limit: settings.perCaller, weight: calls });
    if (!verdict.limited) return undefined;
    return tooMany(c, actor.keyId ? "agent key" : "caller", verdict.limit, verdict.retryAfterSeconds);
  };

  return { byAddress, byCaller };
}
