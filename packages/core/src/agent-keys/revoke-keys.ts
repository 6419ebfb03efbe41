import { and, eq, isNull, ne } from "drizzle-orm";
import type { Actor } from "../actor.ts";
import { recordAudit } from "../audit/record-audit.ts";
import type { TaskflowTx } from "../db/database.ts";
import { agentKeys } from "../db/schema/agent-keys.ts";
import { announceAccessChange } from "../events/access-announcements.ts";
import { auditedKey } from "./to-agent-key.ts";

/**
 * Revokes an agent's keys that are not yet revoked (one of them when `keyId` is given, all but
 * `exceptKeyId` otherwise), auditing `agent_key.revoked` for each. Returns how many changed.
 */
export async function revokeKeys(
  tx: TaskflowTx,
  actor: Actor,
  agentId: string,
  options: { keyId?: string; exceptKeyId?: string } = {},
): Promise<number> {
  const now = new Date();
  const revoked = await tx
    .update(agentKeys)
    .set({ revokedAt: now })
    .where(
      and(
        eq(agentKeys.workerId, agentId),
        eq(agentKeys.tenantId, actor.tenantId),
        isNull(agentKeys.revokedAt),
        options.keyId ? eq(agentKeys.id, options.keyId) : undefined,
        options.exceptKeyId ? ne(agentKeys.id, options.exceptKeyId) : undefined,
      ),
    )
    .returning();
  // Streams opened with these keys end now, not at their next re-decision.
  if (revoked.length > 0) await announceAccessChange(tx, actor.tenantId);
  for (const row of revoked) {
    await recordAudit(tx, actor, {
      entityType: "agent_key",
      entityId: row.id,
      action: "agent_key.revoked",
      before: { ...auditedKey(row), revokedAt: null },
      after: auditedKey(row),
    });
  }
  return revoked.length;
}
