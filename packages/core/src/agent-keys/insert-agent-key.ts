import type { IssuedAgentKey } from "@taskflow/contracts";
import type { Actor } from "../actor.ts";
import { recordAudit } from "../audit/record-audit.ts";
import type { TaskflowTx } from "../db/database.ts";
import { agentKeys } from "../db/schema/agent-keys.ts";
import { newKeyMaterial } from "./key-material.ts";
import { auditedKey, toAgentKey } from "./to-agent-key.ts";

/** How long a key is valid when nobody says otherwise. */
export const defaultKeyLifetimeDays = 90;
const day = 24 * 60 * 60 * 1000;

/** Issues a key for an agent: stores its hash, audits `agent_key.issued`, returns the key this once. */
export async function insertAgentKey(
  tx: TaskflowTx,
  actor: Actor,
  agentId: string,
  lifetimeDays: number = defaultKeyLifetimeDays,
  now: Date = new Date(),
): Promise<IssuedAgentKey> {
  const material = newKeyMaterial();
  const [row] = await tx
    .insert(agentKeys)
    .values({
      tenantId: actor.tenantId,
      workerId: agentId,
      lookup: material.lookup,
      salt: material.salt,
      secretHash: material.secretHash,
      lastChars: material.lastChars,
      createdBy: actor.workerId,
      createdAt: now,
      expiresAt: new Date(now.getTime() + lifetimeDays * day),
    })
    .returning();
  if (!row) throw new Error("insert returned no key");
  await recordAudit(tx, actor, {
    entityType: "agent_key",
    entityId: row.id,
    action: "agent_key.issued",
    after: auditedKey(row),
  });
  return { ...toAgentKey(row), key: material.key };
}
