import type { AgentKey } from "@taskflow/contracts";
import { isKeyAction } from "../authorization/key-scope.ts";
import type { agentKeys } from "../db/schema/agent-keys.ts";

export type AgentKeyRow = typeof agentKeys.$inferSelect;

/** What may be shown of a key: never its secret, salt or hash. */
export function toAgentKey(row: AgentKeyRow): AgentKey {
  return {
    id: row.id,
    lastChars: row.lastChars,
    createdAt: row.createdAt.toISOString(),
    expiresAt: row.expiresAt?.toISOString() ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    scopes: { projectIds: row.projectIds, actions: row.actions.filter(isKeyAction) },
  };
}

/** The audit trail's view of a key: enough to recognise it, nothing to use it. */
export function auditedKey(row: AgentKeyRow) {
  return {
    id: row.id,
    workerId: row.workerId,
    lastChars: row.lastChars,
    expiresAt: row.expiresAt,
    revokedAt: row.revokedAt,
    projectIds: row.projectIds,
    actions: row.actions,
  };
}
