import { and, eq, inArray, isNull, lt } from "drizzle-orm";
import { recordAudit } from "../audit/record-audit.ts";
import type { TaskflowDb } from "../db/database.ts";
import { personalAccessTokens } from "../db/schema/personal-access-tokens.ts";
import { workers } from "../db/schema/workers.ts";
import { auditedPersonalToken } from "./to-personal-token.ts";

/**
 * Revokes, in every organization, the personal access tokens a person (SSO subject) made before
 * `issuedBefore`: the SSO voided the person's credentials (a ban, a deleted account). Done for good in
 * the database, since the SSO lists a voided person only for as long as its own tokens live, and a
 * personal access token lives far longer. Each is audited by the system; returns how many changed.
 */
export async function revokePersonalTokensOfSubject(
  db: TaskflowDb,
  userId: string,
  issuedBefore: Date,
): Promise<number> {
  return db.transaction(async (tx) => {
    const people = tx.select({ id: workers.id }).from(workers).where(eq(workers.userId, userId));
    const revoked = await tx
      .update(personalAccessTokens)
      .set({ revokedAt: new Date() })
      .where(
        and(
          inArray(personalAccessTokens.workerId, people),
          isNull(personalAccessTokens.revokedAt),
          lt(personalAccessTokens.createdAt, issuedBefore),
        ),
      )
      .returning();
    for (const row of revoked) {
      await recordAudit(
        tx,
        { tenantId: row.tenantId, type: "system" },
        {
          entityType: "personal_token",
          entityId: row.id,
          action: "personal_token.revoked",
          before: { ...auditedPersonalToken(row), revokedAt: null },
          after: { ...auditedPersonalToken(row), reason: "the SSO voided the person's credentials" },
        },
      );
    }
    return revoked.length;
  });
}
