import type { IssuedPersonalToken, PersonalTokenCreate } from "@taskflow/contracts";
import { and, count, eq, gt, isNull } from "drizzle-orm";
import type { Actor } from "../actor.ts";
import { newKeyMaterial, personalTokenPrefix } from "../agent-keys/key-material.ts";
import { recordAudit } from "../audit/record-audit.ts";
import { authorizeOrganizationEffect } from "../authorization/organization-access.ts";
import type { TaskflowDb } from "../db/database.ts";
import { personalAccessTokens } from "../db/schema/personal-access-tokens.ts";
import { workers } from "../db/schema/workers.ts";
import { DomainError, invalidInput } from "../errors.ts";
import { auditedPersonalToken, toPersonalToken } from "./to-personal-token.ts";

/** Live (neither revoked nor expired) tokens one person may hold at once. */
export const maxLivePersonalTokens = 20;
const day = 24 * 60 * 60 * 1000;

/**
 * Issues a personal access token for the signed-in caller, shown this once. Its scopes are at most
 * those of the sign-in that asks (a token can never hold more than the grant that made it), and a
 * personal access token cannot make another: personal_token.manage refuses it.
 */
export async function createPersonalToken(
  db: TaskflowDb,
  actor: Actor,
  input: PersonalTokenCreate,
  now: Date = new Date(),
): Promise<IssuedPersonalToken> {
  authorizeOrganizationEffect(actor, "personal_token.manage");
  const granted = actor.scopes ?? [];
  const wider = input.scopes.filter((scope) => !granted.includes(scope));
  if (wider.length > 0) {
    throw invalidInput(
      "body.scopes",
      `your sign-in was not granted ${wider.join(", ")}, so a token it makes cannot have it`,
    );
  }
  return db.transaction(async (tx) => {
    // Concurrent creations by one person queue on their worker row, so the cap holds.
    await tx
      .select({ id: workers.id })
      .from(workers)
      .where(eq(workers.id, actor.workerId))
      .for("no key update");
    const [live] = await tx
      .select({ n: count() })
      .from(personalAccessTokens)
      .where(
        and(
          eq(personalAccessTokens.workerId, actor.workerId),
          isNull(personalAccessTokens.revokedAt),
          gt(personalAccessTokens.expiresAt, now),
        ),
      );
    if ((live?.n ?? 0) >= maxLivePersonalTokens) {
      throw new DomainError(
        "conflict",
        `a person holds at most ${maxLivePersonalTokens} live personal access tokens; revoke one first`,
        { details: { limit: maxLivePersonalTokens } },
      );
    }
    const material = newKeyMaterial(personalTokenPrefix);
    const [row] = await tx
      .insert(personalAccessTokens)
      .values({
        tenantId: actor.tenantId,
        workerId: actor.workerId,
        name: input.name,
        lookup: material.lookup,
        salt: material.salt,
        secretHash: material.secretHash,
        lastChars: material.lastChars,
        scopes: input.scopes,
        createdAt: now,
        expiresAt: new Date(now.getTime() + input.expiresInDays * day),
      })
      .returning();
    if (!row) throw new Error("insert returned no token");
    await recordAudit(tx, actor, {
      entityType: "personal_token",
      entityId: row.id,
      action: "personal_token.created",
      after: auditedPersonalToken(row),
    });
    return { ...toPersonalToken(row), token: material.key };
  });
}
