import { and, eq, gt, isNull, notInArray, or, sql } from "drizzle-orm";
import type { SsoDatabase } from "../auth.ts";
import * as schema from "../db/schema.ts";
import { subjectRevocation } from "../db/subject-revocations.ts";

/**
 * Revokes a person's refresh tokens (all of them, or all but `keep`) and the opaque access tokens
 * issued with them, by deleting them: a refresh token the provider finds marked revoked looks like a
 * rotated one presented again, and it then revokes every refresh token of that person and client,
 * those of the session that changed the password too. A deleted one is simply unknown
 * (`invalid_grant`). JWT access tokens cannot be recalled: they end with their lifetime, or sooner at
 * the resource servers through the revocation feed (see voidSubject). Returns how many refresh tokens
 * it removed.
 */
export async function revokeRefreshTokens(
  db: SsoDatabase,
  userId: string,
  keep: readonly string[] = [],
): Promise<number> {
  const removed = await db
    .delete(schema.oauthRefreshToken)
    .where(
      and(
        eq(schema.oauthRefreshToken.userId, userId),
        keep.length > 0 ? notInArray(schema.oauthRefreshToken.id, [...keep]) : undefined,
      ),
    )
    .returning({ id: schema.oauthRefreshToken.id });
  // Those tied to a removed refresh token went with it (cascade); the rest, unless kept.
  await db
    .delete(schema.oauthAccessToken)
    .where(
      and(
        eq(schema.oauthAccessToken.userId, userId),
        keep.length > 0
          ? or(
              isNull(schema.oauthAccessToken.refreshId),
              notInArray(schema.oauthAccessToken.refreshId, [...keep]),
            )
          : undefined,
      ),
    );
  return removed.length;
}

/** The refresh tokens issued through one SSO session: those a password change leaves alone. */
export async function sessionRefreshTokens(db: SsoDatabase, sessionId: string): Promise<string[]> {
  const rows = await db
    .select({ id: schema.oauthRefreshToken.id })
    .from(schema.oauthRefreshToken)
    .where(and(eq(schema.oauthRefreshToken.sessionId, sessionId), isNull(schema.oauthRefreshToken.revoked)));
  return rows.map((row) => row.id);
}

/**
 * Declares every token issued to `subjectId` until now void, for the resource servers (the feed).
 * A later call moves the moment forward; an earlier one never moves it back.
 */
export async function voidSubject(
  db: SsoDatabase,
  subjectId: string,
  reason: "banned" | "deleted",
): Promise<void> {
  const now = new Date();
  await db
    .insert(subjectRevocation)
    .values({ subjectId, revokedBefore: now, reason })
    .onConflictDoUpdate({
      target: subjectRevocation.subjectId,
      set: {
        revokedBefore: sql`greatest(${subjectRevocation.revokedBefore}, excluded.revoked_before)`,
        reason,
      },
    });
}

/** The subjects voided since `since`, for the feed. */
export async function voidedSince(
  db: SsoDatabase,
  since: Date,
): Promise<{ subjectId: string; revokedBefore: Date }[]> {
  return db
    .select({ subjectId: subjectRevocation.subjectId, revokedBefore: subjectRevocation.revokedBefore })
    .from(subjectRevocation)
    .where(gt(subjectRevocation.revokedBefore, since));
}

/** Whether a person may be given tokens: not banned, or the ban has run out. */
export function isBanned(user: { banned?: boolean | null; banExpires?: Date | string | null }): boolean {
  if (!user.banned) return false;
  return !user.banExpires || new Date(user.banExpires).getTime() > Date.now();
}
