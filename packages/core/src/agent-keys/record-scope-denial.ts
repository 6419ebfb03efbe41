import type { Actor } from "../actor.ts";
import { recordAudit } from "../audit/record-audit.ts";
import { scopeDeniedOf } from "../authorization/key-scope.ts";
import { insufficientScopeOf } from "../authorization/token-scopes.ts";
import type { TaskflowDb } from "../db/database.ts";

/**
 * Audits a credential a person or agent made to last used beyond its scope: an agent key outside its
 * projects or actions (`agent_key.scope_denied`, with the project), a personal access token without the
 * scope an action needs (`personal_token.scope_denied`, without a project: the scope is refused before any
 * project is looked at). The refused request's own transaction rolls back, so transports call this
 * afterwards, in a transaction of its own, with the error they caught (or, where a transport refuses on its
 * own before core runs, the error core's check gives: the MCP server's tool-call scopes). Anything else is
 * ignored, OAuth access tokens too (short-lived, their client asks for what it needs); returns whether a
 * row was written.
 */
export async function recordScopeDenial(db: TaskflowDb, actor: Actor, error: unknown): Promise<boolean> {
  const denied = scopeDeniedOf(error);
  if (denied && actor.keyId) {
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
  const insufficient = insufficientScopeOf(error);
  if (insufficient && actor.personalTokenId) {
    const tokenId = actor.personalTokenId;
    await db.transaction((tx) =>
      recordAudit(tx, actor, {
        entityType: "personal_token",
        entityId: tokenId,
        action: "personal_token.scope_denied",
        after: { ...insufficient, scopes: actor.scopes ?? [] },
      }),
    );
    return true;
  }
  return false;
}
