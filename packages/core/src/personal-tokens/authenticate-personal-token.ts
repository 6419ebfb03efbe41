import { and, eq, isNull, lt, or } from "drizzle-orm";
import type { Actor } from "../actor.ts";
import { lastUsedResolutionMs } from "../agent-keys/authenticate-agent-key.ts";
import { parseKey, personalTokenPrefix, secretMatches } from "../agent-keys/key-material.ts";
import type { TaskflowDb } from "../db/database.ts";
import { personalAccessTokens } from "../db/schema/personal-access-tokens.ts";
import { workers } from "../db/schema/workers.ts";
import { unauthenticated } from "../errors.ts";

/**
 * The person behind a personal access token (and their SSO subject), acting with the token's scopes on channel `pat`.
 * Unknown, malformed, revoked and expired tokens fail alike. A token carries no organization role:
 * organization roles live in the SSO and a token is checked without it, so it cannot know that a role
 * still holds. It acts in the projects its person is a member of, with their project role; what needs
 * the organization's owners or admins (seeing every project, managing agents) needs a sign-in.
 */
export async function authenticatePersonalToken(
  db: TaskflowDb,
  token: string,
  now: Date = new Date(),
): Promise<{ actor: Actor; userId: string; issuedAt: Date }> {
  const parsed = parseKey(token, personalTokenPrefix);
  if (!parsed) throw unauthenticated("invalid personal access token");
  const [row] = await db
    .select({
      tokenId: personalAccessTokens.id,
      salt: personalAccessTokens.salt,
      secretHash: personalAccessTokens.secretHash,
      expiresAt: personalAccessTokens.expiresAt,
      revokedAt: personalAccessTokens.revokedAt,
      lastUsedAt: personalAccessTokens.lastUsedAt,
      scopes: personalAccessTokens.scopes,
      createdAt: personalAccessTokens.createdAt,
      workerId: workers.id,
      tenantId: workers.tenantId,
      userId: workers.userId,
    })
    .from(personalAccessTokens)
    .innerJoin(
      workers,
      and(
        eq(workers.id, personalAccessTokens.workerId),
        eq(workers.kind, "human"),
        isNull(workers.deletedAt),
      ),
    )
    .where(eq(personalAccessTokens.lookup, parsed.lookup));
  if (!row?.userId || !secretMatches(row.salt, parsed.secret, row.secretHash))
    throw unauthenticated("invalid personal access token");
  if (row.revokedAt || row.expiresAt <= now) throw unauthenticated("invalid personal access token");
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() >= lastUsedResolutionMs) {
    await markUsed(db, row.tokenId, now);
  }
  const actor: Actor = {
    tenantId: row.tenantId,
    workerId: row.workerId,
    type: "human",
    orgRole: "member",
    channel: "pat",
    scopes: row.scopes,
    personalTokenId: row.tokenId,
  };
  // The SSO subject and when the token was made, for the transport's check of the person (a ban).
  return { actor, userId: row.userId, issuedAt: row.createdAt };
}

/** Conditional, so concurrent requests of one token write it once per interval at most. */
async function markUsed(db: TaskflowDb, tokenId: string, now: Date): Promise<void> {
  const staleBefore = new Date(now.getTime() - lastUsedResolutionMs);
  await db
    .update(personalAccessTokens)
    .set({ lastUsedAt: now })
    .where(
      and(
        eq(personalAccessTokens.id, tokenId),
        or(isNull(personalAccessTokens.lastUsedAt), lt(personalAccessTokens.lastUsedAt, staleBefore)),
      ),
    );
}
