import { sql } from "drizzle-orm";
import type { TaskflowDb } from "../db/database.ts";

export interface SharedTotal {
  /** Requests counted in the bucket's current window by every replica. */
  hits: number;
  /** Until that window ends, by the database's clock. */
  resetsInMs: number;
}

/**
 * Adds each counted bucket's count to its shared row (a window opened by its first count, `ageMs`
 * before this sync by the replica's account, `windowSeconds` long, a new one once it ended) and reads the totals of the `watched` buckets, which
 * this replica counted nothing for since its last sync, all in one statement. The keys and counts
 * travel as arrays, so the statement's text is the same whatever the number of buckets (one prepared
 * statement). Callers sort the counted keys, so replicas writing the same rows lock them in one order
 * and never deadlock. A watched bucket whose window ended is left out.
 */
export async function syncRateLimitCounts(
  db: TaskflowDb,
  counted: { keys: string[]; counts: number[]; agesMs: number[] },
  watched: string[],
  windowSeconds: number,
): Promise<Map<string, SharedTotal>> {
  const window = sql`make_interval(secs => ${windowSeconds}::int)`;
  // Both assignments read the row as it was, so they agree on whether its window is still open.
  const open = sql`rate_limit_counters.window_start > now() - ${window}`;
  const resetsInMs = sql`ceil(extract(epoch from (window_start + ${window} - now())) * 1000)::int`;
  const result = await db.execute(sql`
    with counted as (
      insert into rate_limit_counters (bucket, window_start, hits)
      select bucket, now() - make_interval(secs => age_ms / 1000.0), hits
        from unnest(
          ${sql.param(counted.keys)}::text[], ${sql.param(counted.counts)}::int[], ${sql.param(counted.agesMs)}::int[]
        ) as c(bucket, hits, age_ms)
      on conflict (bucket) do update set
        hits = case when ${open} then rate_limit_counters.hits + excluded.hits else excluded.hits end,
        window_start = case when ${open} then rate_limit_counters.window_start else excluded.window_start end
      returning bucket, hits, ${resetsInMs} as resets_in_ms
    )
    select bucket, hits, resets_in_ms from counted
    union all
    select bucket, hits, ${resetsInMs} from rate_limit_counters
      where bucket = any(${sql.param(watched)}::text[]) and ${open}`);
  // node-postgres answers a result with rows, PGlite the same; typed loosely by Drizzle's common type.
  const rows = (result as { rows: { bucket: string; hits: number; resets_in_ms: number | string }[] }).rows;
  const totals = new Map<string, SharedTotal>();
  for (const row of rows) {
    totals.set(row.bucket, { hits: Number(row.hits), resetsInMs: Math.max(0, Number(row.resets_in_ms)) });
  }
  return totals;
}

/** Forgets counters whose window ended more than a window ago (each replica, once a window). */
export async function pruneRateLimitCounters(db: TaskflowDb, windowSeconds: number): Promise<void> {
  await db.execute(
    sql`delete from rate_limit_counters
        where window_start < now() - make_interval(secs => ${2 * windowSeconds}::int)`,
  );
}
