import { and, eq, isNull, lt, or } from "drizzle-orm";
import type { Actor } from "../actor.ts";
import type { TaskflowDb } from "../db/database.ts";
import { agentKeys } from "../db/schema/agent-keys.ts";
import { workers } from "../db/schema/workers.ts";
import { unauthenticated } from "../errors.ts";
import { parseKey, secretMatches } from "./key-material.ts";

/** `last_used_at` is written at most this often per key, not on every request. */
export const lastUsedResolutionMs = 60_000;

/**
 * The agent behind an API key. Unknown, malformed, revoked and expired keys, and keys of deleted
 * agents, all fail the same way: the caller learns nothing about which it was.
 */
export async function authenticateAgentKey(
  db: TaskflowDb,
  key: string,
  channel: Actor["channel"],
  now: Date = new Date(),
): Promise<Actor> {
  const parsed = parseKey(key);
  if (!parsed) throw unauthenticated("invalid API key");
  const [row] = await db
    .select({
      keyId: agentKeys.id,
      salt: agentKeys.salt,
      secretHash: agentKeys.secretHash,
      expiresAt: agentKeys.expiresAt,
      revokedAt: agentKeys.revokedAt,
      lastUsedAt: agentKeys.lastUsedAt,
      projectIds: agentKeys.projectIds,
      actions: agentKeys.actions,
      workerId: workers.id,
      tenantId: workers.tenantId,
    })
    .from(agentKeys)
    .innerJoin(workers, and(eq(workers.id, agentKeys.workerId), isNull(workers.deletedAt)))
    .where(eq(agentKeys.lookup, parsed.lookup));
  if (!row || !secretMatches(row.salt, parsed.secret, row.secretHash))
    throw unauthenticated("invalid API key");
  if (row.revokedAt) throw unauthenticated("invalid API key");
  if (row.expiresAt && row.expiresAt <= now) throw unauthenticated("invalid API key");
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() >= lastUsedResolutionMs) {
    await markUsed(db, row.keyId, now);
  }
  return {
    tenantId: row.tenantId,
    workerId: row.workerId,
    type: "agent",
    orgRole: null,
    channel,
    keyId: row.keyId,
    keyScope: { projectIds: row.projectIds, actions: row.actions },
    scopes: null,
  };
}

/** Conditional, so concurrent requests of one key write it once per interval at most. */
async function markUsed(db: TaskflowDb, keyId: string, now: Date): Promise<void> {
  const staleBefore = new Date(now.getTime() - lastUsedResolutionMs);
  await db
    .update(agentKeys)
    .set({ lastUsedAt: now })
    .where(
      and(eq(agentKeys.id, keyId), or(isNull(agentKeys.lastUsedAt), lt(agentKeys.lastUsedAt, staleBefore))),
    );
}
