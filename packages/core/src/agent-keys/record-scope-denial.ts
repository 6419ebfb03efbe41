import type { Actor } from "../actor.ts";
import { recordAudit } from "../audit/record-audit.ts";
import { scopeDeniedOf } from "../authorization/key-scope.ts";
import type { TaskflowDb } from "../db/database.ts";

/**
 * Audits an agent key used outside its scope (`agent_key.scope_denied`). The refused request's
 * own transaction rolls back, so transports call this afterwards, in a transaction of its own,
 * with the error they caught. Anything other than a scope refusal is ignored; returns whether
 * a row was written.
 */
export async function recordScopeDenial(db: TaskflowDb, actor: Actor, error: unknown): Promise<boolean> {
  const denied = scopeDeniedOf(error);
  if (!denied || !actor.keyId) return false;
  const keyId = actor.keyId;
  await db.transaction((tx) =>
    recordAudit(tx, actor, {
      entityType: "agent_key",
      entityId: keyId,
      projectId: denied.projectId,
      action: "agent_key.scope_denied",
      after: { action: denied.action, projectId: denied.projectId, scope: actor.keyScope ?? null },
    }),
  );
  return true;
}
