import type { AgentUpdate, Worker } from "@taskflow/contracts";
import { eq } from "drizzle-orm";
import type { Actor } from "../actor.ts";
import { recordAudit } from "../audit/record-audit.ts";
import type { TaskflowDb } from "../db/database.ts";
import { workers } from "../db/schema/workers.ts";
import { toWorker } from "../workers/to-worker.ts";
import { authorizeAgentManagement } from "./authorize-agent-management.ts";
import { loadAgent } from "./load-agent.ts";

/** Renames an agent or changes its type or capabilities (the handle stays: mentions refer to it). */
export async function updateAgent(
  db: TaskflowDb,
  actor: Actor,
  agentId: string,
  changes: AgentUpdate,
): Promise<Worker> {
  authorizeAgentManagement(actor);
  return db.transaction(async (tx) => {
    const before = await loadAgent(tx, actor, agentId, { forUpdate: true });
    const [updated] = await tx
      .update(workers)
      .set({ ...changes, updatedAt: new Date() })
      .where(eq(workers.id, agentId))
      .returning();
    if (!updated) throw new Error("update returned no agent");
    const agent = toWorker(updated);
    await recordAudit(tx, actor, {
      entityType: "worker",
      entityId: agentId,
      action: "agent.updated",
      before: toWorker(before),
      after: agent,
    });
    return agent;
  });
}
