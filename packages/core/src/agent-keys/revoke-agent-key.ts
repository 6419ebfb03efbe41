import { and, eq } from "drizzle-orm";
import type { Actor } from "../actor.ts";
import { authorizeAgentManagement } from "../agents/authorize-agent-management.ts";
import { loadAgent } from "../agents/load-agent.ts";
import type { TaskflowDb } from "../db/database.ts";
import { agentKeys } from "../db/schema/agent-keys.ts";
import { notFound } from "../errors.ts";
import { revokeKeys } from "./revoke-keys.ts";

/** Revokes one key of an agent; the key stops working at once. Revoking a revoked key changes nothing. */
export async function revokeAgentKey(
  db: TaskflowDb,
  actor: Actor,
  agentId: string,
  keyId: string,
): Promise<void> {
  authorizeAgentManagement(actor);
  await db.transaction(async (tx) => {
    await loadAgent(tx, actor, agentId);
    const [key] = await tx
      .select({ id: agentKeys.id })
      .from(agentKeys)
      .where(
        and(eq(agentKeys.id, keyId), eq(agentKeys.workerId, agentId), eq(agentKeys.tenantId, actor.tenantId)),
      );
    if (!key) throw notFound("agent key");
    await revokeKeys(tx, actor, agentId, { keyId });
  });
}
