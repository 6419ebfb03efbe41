import type { PersonalToken } from "@taskflow/contracts";
import { isTaskflowScope } from "../authorization/token-scopes.ts";
import type { personalAccessTokens } from "../db/schema/personal-access-tokens.ts";

export type PersonalTokenRow = typeof personalAccessTokens.$inferSelect;

/** What may be shown of a token: never its secret, salt or hash. */
export function toPersonalToken(row: PersonalTokenRow): PersonalToken {
  return {
    id: row.id,
    name: row.name,
    scopes: row.scopes.filter(isTaskflowScope),
    lastChars: row.lastChars,
    createdAt: row.createdAt.toISOString(),
    expiresAt: row.expiresAt.toISOString(),
    revokedAt: row.revokedAt?.toISOString() ?? null,
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
  };
}

/** The audit trail's view of a token: enough to recognise it, nothing to use it. */
export function auditedPersonalToken(row: PersonalTokenRow) {
  return {
    id: row.id,
    workerId: row.workerId,
    name: row.name,
    scopes: row.scopes,
    lastChars: row.lastChars,
    expiresAt: row.expiresAt,
    revokedAt: row.revokedAt,
  };
}
