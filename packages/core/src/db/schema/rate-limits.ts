import { integer, pgTable, text, timestamp } from "drizzle-orm/pg-core";

/**
 * Request counters of the rate limits, shared by every replica of the API and the MCP server: one
 * row per bucket (`api:addr:203.0.113.7`, `mcp:key:<key id>`) holding its current window (opened by
 * its first request). Each replica adds what it counted every few hundred milliseconds and reads the
 * totals back (SharedRateLimiter). Rows of windows long past are pruned now and then.
 */
export const rateLimitCounters = pgTable("rate_limit_counters", {
  bucket: text("bucket").primaryKey(),
  windowStart: timestamp("window_start", { withTimezone: true }).notNull(),
  hits: integer("hits").notNull(),
});
