import type { TaskflowDb } from "../db/database.ts";
import { pruneRateLimitCounters, syncRateLimitCounts } from "./rate-limit-store.ts";

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

export interface SharedRateLimiterOptions {
  /** Length of a window, opened by a bucket's first request (RATE_LIMIT_WINDOW_SECONDS). */
  windowSeconds: number;
  /** How often this replica hands its counts to the database and reads the shared totals back. */
  syncIntervalMs: number;
  /** Told when a sync fails (once per run of failures): the counts are kept and sent with the next one. */
  onError?: (error: unknown) => void;
}

/** The sync interval when none is configured: the staleness one replica's view of the others has. */
export const defaultRateLimitSyncMs = 250;

/** What this replica knows of one bucket. */
interface BucketState {
  /** The bucket's total in the database when this replica last read it (its own synced hits included). */
  shared: number;
  /** Counted here and not yet sent. */
  pending: number;
  /** When the first of the pending requests was counted (ms): a window the sync opens starts there. */
  pendingSince: number;
  /** Sent in the sync under way, not yet acknowledged. */
  sending: number;
  /** When the bucket's current window ends (ms, this process's clock): the database's once synced. */
  windowEndsAt: number;
}

/**
 * Rate limits shared by every replica without a database round trip per request. Each replica counts
 * in memory and decides from its own count plus the shared total it last read. Every `syncIntervalMs`
 * it adds what it counted since to the database (`rate_limit_counters`, one row per bucket) and reads
 * back the totals of every bucket it has seen in its current window, in one statement; a replica with
 * nothing counted and no open window sends nothing.
 *
 * The bound (apps/api/README.md, "Rate limits"): what a replica counts reaches the database within one
 * interval and every other replica's view within the next, so a replica decides on a view that may
 * miss the others' last two intervals (plus the syncs' round trips). In one window a bucket admits at
 * most its limit plus what the other replicas admitted of it during that lag (and a replica that sees
 * a bucket for the first time, during its first interval), and never more than the number of replicas
 * times the limit. With one replica, or with replicas whose views are current, the limit is exact. A
 * refused request is not counted. When the database cannot be reached the counts stay here and each
 * replica keeps enforcing the limit on its own until a sync gets through.
 *
 * A bucket's window opens with its first request and lasts `windowSeconds` by the database's clock
 * (windows cut on the minute would split a burst that straddles one into two half counts).
 */
export class SharedRateLimiter {
  readonly #db: TaskflowDb;
  readonly #windowMs: number;
  readonly #options: SharedRateLimiterOptions;
  readonly #buckets = new Map<string, BucketState>();
  /** Buckets counted since the last sync. */
  readonly #dirty = new Set<string>();
  #syncing: Promise<void> | undefined;
  #timer: NodeJS.Timeout | undefined;
  #failing = false;
  #lastPrunedAt = Date.now();

  constructor(db: TaskflowDb, options: SharedRateLimiterOptions) {
    this.#db = db;
    this.#options = options;
    this.#windowMs = options.windowSeconds * 1000;
  }

  /** Syncs every `syncIntervalMs` in the background (nothing is sent while no window is open). */
  start(): this {
    if (this.#timer) return this;
    this.#timer = setInterval(() => void this.sync(), this.#options.syncIntervalMs);
    // The server keeps the process alive, never this timer.
    this.#timer.unref();
    return this;
  }

  /** Stops the timer and sends what is still counted here (shutdown). */
  async stop(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
    await this.sync();
  }

  /**
   * Counts one request (or its weight) against `bucket`, synchronously: refused when this replica's
   * unsent count plus the last shared total would pass the limit.
   */
  hit(bucket: RateLimitBucket): RateLimitVerdict {
    const now = Date.now();
    const weight = bucket.weight ?? 1;
    let state = this.#buckets.get(bucket.key);
    if (!state || now >= state.windowEndsAt) {
      // A new window opens with this request (the database opens its own with the next sync). Hits
      // of the last window not yet sent are dropped: they would only count against the new one.
      state = {
        shared: 0,
        pending: 0,
        pendingSince: now,
        sending: state?.sending ?? 0,
        windowEndsAt: now + this.#windowMs,
      };
      this.#buckets.set(bucket.key, state);
    }
    if (state.shared + state.pending + state.sending + weight > bucket.limit) {
      return {
        limited: true,
        bucket: bucket.key,
        limit: bucket.limit,
        retryAfterSeconds: Math.max(1, Math.ceil((state.windowEndsAt - now) / 1000)),
      };
    }
    if (state.pending === 0) state.pendingSince = now;
    state.pending += weight;
    this.#dirty.add(bucket.key);
    return { limited: false };
  }

  /**
   * Sends what was counted since the last sync and reads back the totals of every bucket seen in its
   * current window. One sync at a time: a call while one runs waits for it.
   */
  sync(): Promise<void> {
    this.#syncing ??= this.#send().finally(() => {
      this.#syncing = undefined;
    });
    return this.#syncing;
  }

  async #send(): Promise<void> {
    const now = Date.now();
    this.#forgetEndedWindows(now);
    // Sorted, so two replicas syncing the same buckets lock their rows in the same order.
    const keys = [...this.#dirty].sort();
    const watched = [...this.#buckets.keys()].filter((key) => !this.#dirty.has(key));
    this.#dirty.clear();
    if (keys.length > 0 || watched.length > 0) {
      const counts: number[] = [];
      const since: number[] = [];
      for (const key of keys) {
        const state = this.#buckets.get(key) as BucketState;
        counts.push(state.pending);
        since.push(state.pendingSince);
        state.sending += state.pending;
        state.pending = 0;
      }
      try {
        const totals = await syncRateLimitCounts(
          this.#db,
          // A window these counts open starts when the first of them was counted, not at this sync.
          { keys, counts, agesMs: since.map((at) => Math.max(0, now - at)) },
          watched,
          this.#options.windowSeconds,
        );
        const answeredAt = Date.now();
        for (const [index, key] of keys.entries()) {
          const state = this.#buckets.get(key) as BucketState;
          state.sending -= counts[index] as number;
        }
        for (const [key, total] of totals) {
          const state = this.#buckets.get(key);
          if (!state) continue;
          // The total includes what this replica sent; what it counted meanwhile is still pending.
          state.shared = total.hits;
          state.windowEndsAt = answeredAt + total.resetsInMs;
        }
        this.#failing = false;
      } catch (error) {
        // Kept and sent again with the next sync; meanwhile this replica goes on counting alone.
        for (const [index, key] of keys.entries()) {
          const state = this.#buckets.get(key) as BucketState;
          state.sending -= counts[index] as number;
          if (state.pending === 0 || (since[index] as number) < state.pendingSince) {
            state.pendingSince = since[index] as number;
          }
          state.pending += counts[index] as number;
          this.#dirty.add(key);
        }
        if (!this.#failing) this.#options.onError?.(error);
        this.#failing = true;
        return;
      }
    }
    if (now - this.#lastPrunedAt >= this.#windowMs) {
      this.#lastPrunedAt = now;
      await pruneRateLimitCounters(this.#db, this.#options.windowSeconds).catch((error: unknown) =>
        this.#options.onError?.(error),
      );
    }
  }

  /** Buckets whose window ended with nothing left to send are forgotten: memory follows the active callers. */
  #forgetEndedWindows(now: number): void {
    for (const [key, state] of this.#buckets) {
      if (now >= state.windowEndsAt && state.pending === 0 && state.sending === 0) this.#buckets.delete(key);
    }
  }
}
