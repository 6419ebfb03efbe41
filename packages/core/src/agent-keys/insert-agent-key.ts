import type { IssuedAgentKey, KeyScopes } from "@taskflow/contracts";
import { and, eq, inArray } from "drizzle-orm";
import type { Actor } from "../actor.ts";
import { recordAudit } from "../audit/record-audit.ts";
import { defaultKeyActions } from "../authorization/key-scope.ts";
import type { TaskflowTx } from "../db/database.ts";
import { agentKeys } from "../db/schema/agent-keys.ts";
import { projects } from "../db/schema/projects.ts";
import { invalidInput } from "../errors.ts";
import { newKeyMaterial } from "./key-material.ts";
import { auditedKey, toAgentKey } from "./to-agent-key.ts";

/** How long a key is valid when nobody says otherwise. */
export const defaultKeyLifetimeDays = 90;
const day = 24 * 60 * 60 * 1000;

/**
 * Issues a key for an agent: stores its hash, audits `agent_key.issued`, returns the key this once.
 * The key is bound to `scopes` (projects of the organization and actions; by default every project
 * the agent is a member of, everything but manage) and always expires.
 */
export async function insertAgentKey(
  tx: TaskflowTx,
  actor: Actor,
  agentId: string,
  lifetimeDays: number = defaultKeyLifetimeDays,
  scopes: Partial<KeyScopes> = {},
  now: Date = new Date(),
): Promise<IssuedAgentKey> {
  const projectIds = scopes.projectIds ? [...new Set(scopes.projectIds)] : null;
  if (projectIds) {
    const found = await tx
      .select({ id: projects.id })
      .from(projects)
      .where(and(eq(projects.tenantId, actor.tenantId), inArray(projects.id, projectIds)));
    const missing = projectIds.filter((id) => !found.some((p) => p.id === id));
    if (missing.length > 0) {
      throw invalidInput(
        "body.scopes.projectIds",
        `no such project in this organization: ${missing.join(", ")}`,
      );
    }
  }
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
      projectIds,
      actions: scopes.actions ? [...new Set(scopes.actions)] : defaultKeyActions,
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
