import { and, eq, gt, isNull } from "drizzle-orm";
import type { TaskflowDb } from "../db/database.ts";
import { personalAccessTokens } from "../db/schema/personal-access-tokens.ts";
import { workers } from "../db/schema/workers.ts";
import { revokePersonalTokensOfSubject } from "./revoke-tokens-of-subject.ts";

/** Whether the SSO voided a person's credentials issued before `issuedAt` (seconds): its revocation feed. */
export type SubjectRevokedCheck = (sub: string, issuedAt: number) => boolean;

/**
 * Revokes the live personal access tokens of every person the SSO voided (a ban, a deleted account),
 * whether or not they are used. The SSO names a voided person only for as long as its own tokens live
 * (minutes), so a token left unused through that window would outlive the ban if only its use checked.
 * Returns how many tokens were revoked.
 */
export async function revokeVoidedPersonalTokens(
  db: TaskflowDb,
  isRevoked: SubjectRevokedCheck,
): Promise<number> {
  const live = await db
    .select({ userId: workers.userId, createdAt: personalAccessTokens.createdAt })
    .from(personalAccessTokens)
    .innerJoin(workers, eq(workers.id, personalAccessTokens.workerId))
    .where(and(isNull(personalAccessTokens.revokedAt), gt(personalAccessTokens.expiresAt, new Date())));
  // Per person, the newest voided token: it and the older ones go.
  const newestVoided = new Map<string, Date>();
  for (const { userId, createdAt } of live) {
    if (!userId || !isRevoked(userId, Math.floor(createdAt.getTime() / 1000))) continue;
    const known = newestVoided.get(userId);
    if (!known || known < createdAt) newestVoided.set(userId, createdAt);
  }
  let revoked = 0;
  for (const [userId, newest] of newestVoided) {
    revoked += await revokePersonalTokensOfSubject(db, userId, new Date(newest.getTime() + 1));
  }
  return revoked;
}

/**
 * Runs revokeVoidedPersonalTokens every `intervalMs` (default 60 s, well inside the feed's window of an
 * access token's lifetime) until stopped; a failed round waits for the next.
 */
export function startVoidedTokenSweeper(
  db: TaskflowDb,
  isRevoked: SubjectRevokedCheck,
  options: { intervalMs?: number; onError?: (error: unknown) => void } = {},
) {
  let running: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    running = revokeVoidedPersonalTokens(db, isRevoked).catch((error: unknown) => options.onError?.(error));
  }, options.intervalMs ?? 60_000);
  timer.unref();
  return {
    stop: async () => {
      clearInterval(timer);
      await running;
    },
  };
}
