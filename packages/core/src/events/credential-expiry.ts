import { eq } from "drizzle-orm";
import type { Actor } from "../actor.ts";
import type { TaskflowExecutor } from "../db/database.ts";
import { agentKeys } from "../db/schema/agent-keys.ts";
import { personalAccessTokens } from "../db/schema/personal-access-tokens.ts";

/**
 * When the stored credential an actor came with stops being accepted: an agent key's or a personal access
 * token's `expires_at` (null: never; undefined: the actor came with no stored credential, an SSO token,
 * whose `exp` the transport reads). A live stream opened with it ends then.
 */
export async function storedCredentialExpiresAt(
  db: TaskflowExecutor,
  actor: Actor,
): Promise<Date | null | undefined> {
  if (actor.keyId) {
    const [row] = await db
      .select({ expiresAt: agentKeys.expiresAt })
      .from(agentKeys)
      .where(eq(agentKeys.id, actor.keyId));
    return row?.expiresAt ?? null;
  }
  if (actor.personalTokenId) {
    const [row] = await db
      .select({ expiresAt: personalAccessTokens.expiresAt })
      .from(personalAccessTokens)
      .where(eq(personalAccessTokens.id, actor.personalTokenId));
    return row?.expiresAt ?? null;
  }
  return undefined;
}
