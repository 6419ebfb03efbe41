import { getConnInfo } from "@hono/node-server/conninfo";
import { hitRateLimits, pruneRateLimitCounters, type TaskflowDb } from "@taskflow/core";
import { clientAddress } from "@taskflow/service-env";
import type { Context, MiddlewareHandler } from "hono";
import type { Logger } from "pino";
import type { ApiEnvironment } from "../app-env.ts";
import { problemResponse } from "../problems/problem-response.ts";

/** RATE_LIMIT_* and TRUST_PROXY: requests per fixed window, per client address and per caller. */
export interface RateLimitSettings {
  windowSeconds: number;
  /** Requests per window from one client address (0: no limit). */
  perAddress: number;
  /** Requests per window of one caller: an agent key, or a person (0: no limit). */
  perCaller: number;
  /** Proxies in front whose `X-Forwarded-For` entries are believed (0: none, the socket's peer counts). */
  trustedProxies: number;
}

/** Counters older than this many windows go, on about one request in this many. */
const pruneEvery = 1000;

/**
 * Rate limits counted in the shared database (`rate_limit_counters`), so they hold across replicas:
 * `byAddress` before authentication (floods with bad credentials count too), `byCaller` after it.
 * Over the limit: 429 problem+json with `Retry-After` (seconds until the window ends).
 */
export function rateLimits(db: TaskflowDb, settings: RateLimitSettings, logger: Logger) {
  const { windowSeconds } = settings;
  const limited = (c: Context, kind: string, limit: number, retryAfterSeconds: number) =>
    problemResponse(c, "rate_limited", {
      detail: `more than ${limit} requests in ${windowSeconds} s from this ${kind}; retry in ${retryAfterSeconds} s`,
      headers: { "retry-after": String(retryAfterSeconds) },
      extensions: { retryAfterSeconds },
    });
  const prune = () => {
    if (Math.random() * pruneEvery >= 1) return;
    pruneRateLimitCounters(db, windowSeconds).catch((error: unknown) =>
      logger.warn({ err: error }, "could not prune rate-limit counters"),
    );
  };

  const byAddress: MiddlewareHandler<ApiEnvironment> = async (c, next) => {
    if (settings.perAddress <= 0) return next();
    const address = clientAddress(remoteAddress(c), c.req.header("x-forwarded-for"), settings.trustedProxies);
    const verdict = await hitRateLimits(
      db,
      [{ key: `api:addr:${address}`, limit: settings.perAddress }],
      windowSeconds,
    );
    prune();
    if (verdict.limited) return limited(c, "address", verdict.limit, verdict.retryAfterSeconds);
    await next();
  };

  const byCaller: MiddlewareHandler<ApiEnvironment> = async (c, next) => {
    const actor = c.var.actor;
    if (settings.perCaller <= 0 || !actor) return next();
    const key = actor.keyId ? `api:key:${actor.keyId}` : `api:worker:${actor.workerId}`;
    const verdict = await hitRateLimits(db, [{ key, limit: settings.perCaller }], windowSeconds);
    if (verdict.limited) {
      return limited(c, actor.keyId ? "agent key" : "caller", verdict.limit, verdict.retryAfterSeconds);
    }
    await next();
  };

  return { byAddress, byCaller };
}

/** The socket's peer under @hono/node-server; unknown when the app is called without a socket. */
function remoteAddress(c: Context): string | undefined {
  try {
    return getConnInfo(c).remote.address;
  } catch {
    return undefined;
  }
}
