import { getConnInfo } from "@hono/node-server/conninfo";
import { defaultRateLimitSyncMs, SharedRateLimiter, type TaskflowDb } from "@taskflow/core";
import { clientAddress } from "@taskflow/service-env";
import type { Context, MiddlewareHandler } from "hono";
import type { Logger } from "pino";
import type { ApiEnvironment } from "../app-env.ts";
import { problemResponse } from "../problems/problem-response.ts";

/** RATE_LIMIT_* and TRUST_PROXY: requests per window, per client address and per caller. */
export interface RateLimitSettings {
  windowSeconds: number;
  /** Requests per window from one client address (0: no limit). */
  perAddress: number;
  /** Requests per window of one caller: an agent key, or a person (0: no limit). */
  perCaller: number;
  /** Proxies in front whose `X-Forwarded-For` entries are believed (0: none, the socket's peer counts). */
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

/**
 * Rate limits counted in this process and shared with the other replicas through the database
 * (SharedRateLimiter in packages/core: no database round trip on the request path, and the bound on
 * what replicas can admit together): `byAddress` before authentication (floods with bad credentials
 * count too), `byCaller` after it. Over the limit: 429 problem+json with `Retry-After` (seconds until
 * the window ends).
 */
export function rateLimits({ settings, limiter }: RateLimits) {
  const { windowSeconds } = settings;
  const limited = (c: Context, kind: string, limit: number, retryAfterSeconds: number) =>
    problemResponse(c, "rate_limited", {
      detail: `more than ${limit} requests in ${windowSeconds} s from this ${kind}; retry in ${retryAfterSeconds} s`,
      headers: { "retry-after": String(retryAfterSeconds) },
      extensions: { retryAfterSeconds },
    });

  const byAddress: MiddlewareHandler<ApiEnvironment> = async (c, next) => {
    if (settings.perAddress <= 0) return next();
    const address = clientAddress(remoteAddress(c), c.req.header("x-forwarded-for"), settings.trustedProxies);
    const verdict = limiter.hit({ key: `api:addr:${address}`, limit: settings.perAddress });
    if (verdict.limited) return limited(c, "address", verdict.limit, verdict.retryAfterSeconds);
    await next();
  };

  const byCaller: MiddlewareHandler<ApiEnvironment> = async (c, next) => {
    const actor = c.get("actor");
    if (settings.perCaller <= 0 || !actor) return next();
    const key = actor.keyId ? `api:key:${actor.keyId}` : `api:worker:${actor.workerId}`;
    const verdict = limiter.hit({ key, limit: settings.perCaller });
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
