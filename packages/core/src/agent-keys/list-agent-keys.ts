import type { AgentKey } from "@taskflow/contracts";
import { and, desc, eq } from "drizzle-orm";
import type { Actor } from "../actor.ts";
import { authorizeAgentManagement } from "../agents/authorize-agent-management.ts";
import { loadAgent } from "../agents/load-agent.ts";
import type { TaskflowDb } from "../db/database.ts";
import { agentKeys } from "../db/schema/agent-keys.ts";
import { toAgentKey } from "./to-agent-key.ts";

/** An agent's keys, newest first, revoked and expired ones included; never a secret. */
export async function listAgentKeys(db: TaskflowDb, actor: Actor, agentId: string): Promise<AgentKey[]> {
  authorizeAgentManagement(actor, "read");
  await loadAgent(db, actor, agentId);
  const rows = await db
    .select()
    .from(agentKeys)
    .where(and(eq(agentKeys.workerId, agentId), eq(agentKeys.tenantId, actor.tenantId)))
    .orderBy(desc(agentKeys.createdAt), desc(agentKeys.id));
  return rows.map(toAgentKey);
}
