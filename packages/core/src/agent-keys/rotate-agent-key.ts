import type { IssuedAgentKey, KeyScopes } from "@taskflow/contracts";
import type { Actor } from "../actor.ts";
import { authorizeAgentManagement } from "../agents/authorize-agent-management.ts";
import { loadAgent } from "../agents/load-agent.ts";
import type { TaskflowDb } from "../db/database.ts";
import { defaultKeyLifetimeDays, insertAgentKey } from "./insert-agent-key.ts";
import { revokeKeys } from "./revoke-keys.ts";

/**
 * Issues a new key for an agent and revokes all its others: the new key is shown this once.
 * It gets the scopes given (the defaults otherwise: scopes are not carried over from old keys).
 */
export async function rotateAgentKey(
  db: TaskflowDb,
  actor: Actor,
  agentId: string,
  options: { expiresInDays?: number | undefined; scopes?: KeyScopes | undefined } = {},
): Promise<IssuedAgentKey> {
  authorizeAgentManagement(actor);
  return db.transaction(async (tx) => {
    await loadAgent(tx, actor, agentId, { forUpdate: true });
    const issued = await insertAgentKey(
      tx,
      actor,
      agentId,
      options.expiresInDays ?? defaultKeyLifetimeDays,
      options.scopes,
    );
    await revokeKeys(tx, actor, agentId, { exceptKeyId: issued.id });
    return issued;
  });
}
