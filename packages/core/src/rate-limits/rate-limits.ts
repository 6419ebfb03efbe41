import { lt, sql } from "drizzle-orm";
import type { TaskflowDb } from "../db/database.ts";
import { rateLimitCounters } from "../db/schema/rate-limits.ts";

/** One counter to count this request against, and how many requests its window allows. */
export interface RateLimitBucket {
  /** `<service>:<kind>:<who>`, e.g. `api:addr:203.0.113.7` or `mcp:key:<key id>`. */
  key: string;
  limit: number;
  /** How many requests this one counts as (default 1): each message of a JSON-RPC batch is one. */
  weight?: number;
}

export type RateLimitVerdict =
  | { limited: false }
  | { limited: true; bucket: string; limit: number; retryAfterSeconds: number };

/**
 * Counts one request (or its weight) against each bucket in one atomic upsert (so every replica on the database
 * shares the count), and says whether any bucket is over its limit and when its window ends.
 *
 * A bucket's window opens with its first request and lasts `windowSeconds`; the next request after
 * that opens a new one. (Windows cut from the clock, every minute on the minute, would split a burst
 * that happens to straddle the minute into two half counts.) Times are the database's, never a
 * replica's.
 */
export async function hitRateLimits(
  db: TaskflowDb,
  buckets: RateLimitBucket[],
  windowSeconds: number,
): Promise<RateLimitVerdict> {
  if (buckets.length === 0) return { limited: false };
  // Both assignments read the row as it was, so they agree on whether its window is still open.
  const windowOpen = sql`${rateLimitCounters.windowStart} > now() - make_interval(secs => ${windowSeconds}::int)`;
  const rows = await db
    .insert(rateLimitCounters)
    .values(buckets.map((b) => ({ bucket: b.key, windowStart: sql`now()`, hits: b.weight ?? 1 })))
    .onConflictDoUpdate({
      target: rateLimitCounters.bucket,
      set: {
        // excluded.hits is this request's weight, as inserted above.
        hits: sql`case when ${windowOpen} then ${rateLimitCounters.hits} + excluded.hits else excluded.hits end`,
        windowStart: sql`case when ${windowOpen} then ${rateLimitCounters.windowStart} else now() end`,
      },
    })
    .returning({
      bucket: rateLimitCounters.bucket,
      hits: rateLimitCounters.hits,
      resetsIn: sql<string>`extract(epoch from (${rateLimitCounters.windowStart} + make_interval(secs => ${windowSeconds}::int) - now()))`,
    });
  for (const bucket of buckets) {
    const row = rows.find((r) => r.bucket === bucket.key);
    if (row && row.hits > bucket.limit) {
      return {
        limited: true,
        bucket: bucket.key,
        limit: bucket.limit,
        retryAfterSeconds: Math.max(1, Math.ceil(Number(row.resetsIn))),
      };
    }
  }
  return { limited: false };
}

/** Forgets counters whose window ended more than a window ago (callers run it now and then). */
export async function pruneRateLimitCounters(db: TaskflowDb, windowSeconds: number): Promise<number> {
  const removed = await db
    .delete(rateLimitCounters)
    .where(lt(rateLimitCounters.windowStart, sql`now() - make_interval(secs => ${2 * windowSeconds}::int)`))
    .returning({ bucket: rateLimitCounters.bucket });
  return removed.length;
}
