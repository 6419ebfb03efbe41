import type { AgentRegistration, IssuedAgentKey, Worker } from "@taskflow/contracts";
import type { Actor } from "../actor.ts";
import { defaultKeyLifetimeDays, insertAgentKey } from "../agent-keys/insert-agent-key.ts";
import { recordAudit } from "../audit/record-audit.ts";
import type { TaskflowDb, TaskflowTx } from "../db/database.ts";
import { workers } from "../db/schema/workers.ts";
import { DomainError, isUniqueViolation } from "../errors.ts";
import { addMemberIn } from "../members/add-member.ts";
import { toWorker, type WorkerRow } from "../workers/to-worker.ts";
import { authorizeAgentManagement } from "./authorize-agent-management.ts";

/**
 * Registers an agent in the caller's organization with its first API key (shown this once).
 * The handle must be free in the organization, deleted agents' handles included. The key has the
 * scopes and lifetime asked for (default: every project the agent joins, no manage; 90 days).
 * The agent joins `joinProjects` as a member in the same transaction, each as addMember decides
 * (the caller must manage the project's members): one project refused, and nothing is registered.
 */
export async function registerAgent(
  db: TaskflowDb,
  actor: Actor,
  input: Omit<AgentRegistration, "joinProjects"> & { joinProjects?: string[] },
): Promise<{ agent: Worker; apiKey: IssuedAgentKey; joinedProjects: string[] }> {
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
    const joinedProjects = input.joinProjects ?? [];
    for (const [index, projectId] of joinedProjects.entries()) {
      await joinProject(tx, actor, row.id, projectId, `body.joinProjects.${index}`);
    }
    return { agent, apiKey, joinedProjects };
  });
}

/** The new agent joins one project as a member; a refusal names the entry of joinProjects it came from. */
async function joinProject(
  tx: TaskflowTx,
  actor: Actor,
  agentId: string,
  projectId: string,
  field: string,
): Promise<void> {
  try {
    await addMemberIn(tx, actor, projectId, { workerId: agentId, role: "member" });
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    // An id in a body that cannot be applied is 422, as addMember answers for a worker id; another
    // organization's project gets the same answer as none, so nothing is learned about it.
    const code = error.code === "not_found" ? "invalid_input" : error.code;
    const message = error.code === "not_found" ? "no such project in this organization" : error.message;
    throw new DomainError(code, message, { details: error.details, issues: [{ field, message }] });
  }
}
