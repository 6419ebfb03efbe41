import type { PersonalToken } from "@taskflow/contracts";
import { desc, eq } from "drizzle-orm";
import type { Actor } from "../actor.ts";
import { authorizeOrganizationEffect } from "../authorization/organization-access.ts";
import type { TaskflowDb } from "../db/database.ts";
import { personalAccessTokens } from "../db/schema/personal-access-tokens.ts";
import { toPersonalToken } from "./to-personal-token.ts";

/** The caller's own personal access tokens, newest first, revoked and expired ones included; never a secret. */
export async function listPersonalTokens(db: TaskflowDb, actor: Actor): Promise<PersonalToken[]> {
  authorizeOrganizationEffect(actor, "personal_token.read");
  const rows = await db
    .select()
    .from(personalAccessTokens)
    .where(eq(personalAccessTokens.workerId, actor.workerId))
    .orderBy(desc(personalAccessTokens.createdAt), desc(personalAccessTokens.id));
  return rows.map(toPersonalToken);
}
