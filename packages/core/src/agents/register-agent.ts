import type { AgentRegistration, IssuedAgentKey, Worker } from "@taskflow/contracts";
import type { Actor } from "../actor.ts";
import { defaultKeyLifetimeDays, insertAgentKey } from "../agent-keys/insert-agent-key.ts";
import { recordAudit } from "../audit/record-audit.ts";
import type { TaskflowDb } from "../db/database.ts";
import { workers } from "../db/schema/workers.ts";
import { DomainError, isUniqueViolation } from "../errors.ts";
import { toWorker, type WorkerRow } from "../workers/to-worker.ts";
import { authorizeAgentManagement } from "./authorize-agent-management.ts";

/**
 * Registers an agent in the caller's organization with its first API key (shown this once).
 * The handle must be free in the organization, deleted agents' handles included. The key has the
 * scopes and lifetime asked for (default: every project the agent joins, no manage; 90 days).
 */
export async function registerAgent(
  db: TaskflowDb,
  actor: Actor,
  input: AgentRegistration,
): Promise<{ agent: Worker; apiKey: IssuedAgentKey }> {
  authorizeAgentManagement(actor);
  return db.transaction(async (tx) => {
    let row: WorkerRow | undefined;
    try {
      [row] = await tx
        .insert(workers)
        .values({
          tenantId: actor.tenantId,
          kind: "agent",
          handle: input.handle,
          name: input.name,
          agentType: input.agentType,
          capabilities: input.capabilities,
        })
        .returning();
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new DomainError("conflict", `the handle ${input.handle} is taken in this organization`, {
          issues: [{ field: "body.handle", message: `${input.handle} is already used by another worker` }],
        });
      }
      throw error;
    }
    if (!row) throw new Error("insert returned no agent");
    const agent = toWorker(row);
    await recordAudit(tx, actor, {
      entityType: "worker",
      entityId: row.id,
      action: "agent.registered",
      after: agent,
    });
    const apiKey = await insertAgentKey(
      tx,
      actor,
      row.id,
      input.expiresInDays ?? defaultKeyLifetimeDays,
      input.scopes,
    );
    return { agent, apiKey };
  });
}
