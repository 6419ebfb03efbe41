import type { TaskflowDb } from "../db/database.ts";

/**
 * Which worker a person is in a tenant, remembered per database: every request of a person resolves it,
 * and the answer never changes once the worker exists (people's workers are never deleted or re-keyed),
 * so a round trip per request buys nothing. Bounded: the oldest entries go first.
 */
const maxEntries = 10_000;
const byDatabase = new WeakMap<TaskflowDb, Map<string, string>>();

const keyOf = (tenantId: string, userId: string) => `${tenantId}\u0000${userId}`;

export function knownWorker(db: TaskflowDb, tenantId: string, userId: string): string | undefined {
  return byDatabase.get(db)?.get(keyOf(tenantId, userId));
}

export function rememberWorker(db: TaskflowDb, tenantId: string, userId: string, workerId: string): void {
  let known = byDatabase.get(db);
  if (!known) {
    known = new Map();
    byDatabase.set(db, known);
  }
  if (known.size >= maxEntries) {
    const oldest = known.keys().next().value;
    if (oldest !== undefined) known.delete(oldest);
  }
  known.set(keyOf(tenantId, userId), workerId);
}
