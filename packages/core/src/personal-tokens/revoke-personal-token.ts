import { and, eq } from "drizzle-orm";
import type { Actor } from "../actor.ts";
import { recordAudit } from "../audit/record-audit.ts";
import { authorizeOrganizationEffect } from "../authorization/organization-access.ts";
import type { TaskflowDb } from "../db/database.ts";
import { personalAccessTokens } from "../db/schema/personal-access-tokens.ts";
import { notFound } from "../errors.ts";
import { announceAccessChange } from "../events/access-announcements.ts";
import { auditedPersonalToken } from "./to-personal-token.ts";

/**
 * Revokes one of the caller's own personal access tokens; it stops working at once. Someone else's
 * token is not found; revoking a revoked token changes nothing.
 */
export async function revokePersonalToken(db: TaskflowDb, actor: Actor, tokenId: string): Promise<void> {
  authorizeOrganizationEffect(actor, "personal_token.manage");
  await db.transaction(async (tx) => {
    const mine = and(eq(personalAccessTokens.id, tokenId), eq(personalAccessTokens.workerId, actor.workerId));
    const [row] = await tx.select().from(personalAccessTokens).where(mine).for("update");
    if (!row) throw notFound("personal access token");
    if (row.revokedAt) return;
    const [revoked] = await tx
      .update(personalAccessTokens)
      .set({ revokedAt: new Date() })
      .where(mine)
      .returning();
    if (!revoked) throw new Error("update returned no token");
    // Live event streams opened with it end now, not at their next re-decision.
    await announceAccessChange(tx, actor.tenantId);
    await recordAudit(tx, actor, {
      entityType: "personal_token",
      entityId: row.id,
      action: "personal_token.revoked",
      before: auditedPersonalToken(row),
      after: auditedPersonalToken(revoked),
    });
  });
}
