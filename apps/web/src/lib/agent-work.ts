// What an agent is doing, from tasks and audit entries gathered across projects. Pure functions.
import type { AgentKey, AuditEntry, Task } from "@taskflow/contracts";

export interface AgentWork {
  /** Tasks it holds a live claim on (lease not lapsed). */
  claims: Task[];
  /** Open tasks assigned to it that it does not hold a live claim on. */
  assigned: Task[];
}

export function agentWork(agentId: string, tasks: Task[], now: Date): AgentWork {
  const unique = [...new Map(tasks.map((t) => [t.id, t])).values()];
  const live = (t: Task) =>
    t.claim !== null && t.claim.holderId === agentId && Date.parse(t.claim.leaseExpiresAt) > now.getTime();
  return {
    claims: unique.filter(live).sort((a, b) => Date.parse(b.updatedAt) - Date.parse(a.updatedAt)),
    assigned: unique
      .filter((t) => !live(t) && t.assignee?.id === agentId && t.status !== "completed")
      .sort((a, b) => Date.parse(b.updatedAt) - Date.parse(a.updatedAt)),
  };
}

/** The agent's own entries, newest first, at most `limit`. */
export function agentActivity(agentId: string, entries: AuditEntry[], limit = 20): AuditEntry[] {
  return [...new Map(entries.filter((e) => e.actorId === agentId).map((e) => [e.id, e])).values()]
    .sort((a, b) => Number(BigInt(b.id) - BigInt(a.id)))
    .slice(0, limit);
}

export type KeyState = "active" | "revoked" | "expired";

export function keyState(key: Pick<AgentKey, "revokedAt" | "expiresAt">, now: Date): KeyState {
  if (key.revokedAt) return "revoked";
  if (key.expiresAt && Date.parse(key.expiresAt) <= now.getTime()) return "expired";
  return "active";
}

/** When the agent was last seen: its keys' latest use (written at most once a minute). */
export function lastSeen(keys: Pick<AgentKey, "lastUsedAt">[]): string | undefined {
  return keys
    .map((k) => k.lastUsedAt)
    .filter((v): v is string => v !== null)
    .sort()
    .at(-1);
}
