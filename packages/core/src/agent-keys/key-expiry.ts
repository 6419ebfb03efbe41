import { eq } from "drizzle-orm";
import type { TaskflowExecutor } from "../db/database.ts";
import { agentKeys } from "../db/schema/agent-keys.ts";

/** When an agent key stops being accepted (null: never); a live stream opened with it ends then. */
export async function agentKeyExpiresAt(db: TaskflowExecutor, keyId: string): Promise<Date | null> {
  const [row] = await db
    .select({ expiresAt: agentKeys.expiresAt })
    .from(agentKeys)
    .where(eq(agentKeys.id, keyId));
  return row?.expiresAt ?? null;
}
