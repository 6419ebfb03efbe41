import { createHash } from "node:crypto";
import type { Actor } from "../actor.ts";

/**
 * The stored key of an `Idempotency-Key`: the client's key qualified by the credential that sent it.
 * A replay hands back an answer without running the route again, so it may only go to the credential
 * the route authorized the first time, with the same rights: the same agent key (its scope), the same
 * personal access token, or an SSO token of the same channel, organization role and scopes. Another
 * credential of the same person (a read-only token) finds nothing and its request runs, and is judged,
 * afresh. Folded into the key column, so the table needs no new column.
 */
export function credentialQualifiedKey(actor: Actor, key: string): string {
  return `${credentialFingerprint(actor)}/${key}`;
}

function credentialFingerprint(actor: Actor): string {
  const sorted = (values: readonly string[] | null | undefined) => (values ? [...values].sort() : null);
  const identity = {
    type: actor.type,
    channel: actor.channel,
    orgRole: actor.orgRole,
    keyId: actor.keyId ?? null,
    keyProjects: sorted(actor.keyScope?.projectIds),
    keyActions: sorted(actor.keyScope?.actions),
    personalTokenId: actor.personalTokenId ?? null,
    scopes: sorted(actor.scopes),
  };
  return createHash("sha256").update(JSON.stringify(identity)).digest("base64url");
}
