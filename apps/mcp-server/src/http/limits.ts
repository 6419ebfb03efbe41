import { getConnInfo } from "@hono/node-server/conninfo";
import { type Actor, hitRateLimits, pruneRateLimitCounters, type TaskflowDb } from "@taskflow/core";
import { clientAddress } from "@taskflow/service-env";
import type { Context, MiddlewareHandler } from "hono";
import type { Logger } from "pino";

/** RATE_LIMIT_* and TRUST_PROXY, as the API reads them: requests per fixed window. */
export interface RateLimitSettings {
  windowSeconds: number;
  /** Requests per window from one client address (0: no limit). */
  perAddress: number;
  /** Requests per window of one caller: an agent key, or a person (0: no limit). */
  perCaller: number;
  /** Proxies in front whose `X-Forwarded-For` entries are believed (0: none). */
  trustedProxies: number;
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
 * Rate limits counted in the shared database (the API's table, buckets prefixed `mcp:`), so they hold
 * across replicas: `byAddress` before authentication, `byCaller` once the caller is known.
 */
export function mcpRateLimits(db: TaskflowDb, settings: RateLimitSettings, logger: Logger) {
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
    const verdict = await hitRateLimits(
      db,
      [{ key: `mcp:addr:${address}`, limit: settings.perAddress }],
      windowSeconds,
    );
    if (Math.random() < 0.001) {
      pruneRateLimitCounters(db, windowSeconds).catch((error: unknown) =>
        logger.warn({ err: error }, "could not prune rate-limit counters"),
      );
    }
    if (verdict.limited) return tooMany(c, "address", verdict.limit, verdict.retryAfterSeconds);
    await next();
  };

  /**
   * Counts a request of this caller as `calls` requests (each message of a JSON-RPC batch is one); a
   * 429 answer when over the limit, nothing otherwise.
   */
  const byCaller = async (c: Context, actor: Actor, calls = 1): Promise<Response | undefined> => {
    if (settings.perCaller <= 0) return undefined;
    const key = actor.keyId ? `mcp:key:${actor.keyId}` : `mcp:worker:${actor.workerId}`;
    const verdict = await hitRateLimits(
      db,
      [{ key, limit: settings.perCaller, weight: calls }],
      windowSeconds,
    );
    if (!verdict.limited) return undefined;
    return tooMany(c, actor.keyId ? "agent key" : "caller", verdict.limit, verdict.retryAfterSeconds);
  };

  return { byAddress, byCaller };
}
