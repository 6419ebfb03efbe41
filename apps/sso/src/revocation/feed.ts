import type { Hono } from "hono";
import { ACCESS_TOKEN_LIFETIME_SECONDS, AUTH_BASE_PATH } from "../auth.ts";
import type { AppEnv, Services } from "../routes/context.ts";
import { voidedSince } from "./grants.ts";

/**
 * How long a voided subject stays in the feed: every token issued before the moment it names has
 * expired once an access token's lifetime (and the resource servers' clock tolerance) has passed.
 */
export const FEED_WINDOW_SECONDS = ACCESS_TOKEN_LIFETIME_SECONDS + 60;

/** Where the resource servers poll it: beside the JWKS, so its address follows from SSO_JWKS_URL. */
export const REVOCATIONS_PATH = `${AUTH_BASE_PATH}/revocations`;

/**
 * The revocation feed: `{ "subjects": [{ "sub", "revoked_before" }], "window_seconds" }`, the people
 * whose tokens issued before `revoked_before` (seconds since the epoch) are void, over the last
 * `window_seconds`. Public and harmless by design: opaque user ids and times, no names, no reasons,
 * only recent ones; the resource servers (packages/resource-auth) poll it every few seconds in the
 * background and refuse such tokens, so a ban reaches the API and the MCP server long before the
 * tokens expire.
 */
export function registerRevocationFeed(app: Hono<AppEnv>, services: Services): void {
  app.get(REVOCATIONS_PATH, async (c) => {
    const since = new Date(Date.now() - FEED_WINDOW_SECONDS * 1000);
    const rows = await voidedSince(services.db, since);
    c.header("cache-control", "no-store");
    return c.json({
      subjects: rows.map((row) => ({
        sub: row.subjectId,
        revoked_before: Math.ceil(row.revokedBefore.getTime() / 1000),
      })),
      window_seconds: FEED_WINDOW_SECONDS,
    });
  });
}
