import { eq } from "drizzle-orm";
import type { Actor } from "../actor.ts";
import { revokeKeys } from "../agent-keys/revoke-keys.ts";
import { recordAudit } from "../audit/record-audit.ts";
import type { TaskflowDb } from "../db/database.ts";
import { projectMembers, projects } from "../db/schema/projects.ts";
import { workers } from "../db/schema/workers.ts";
import { lockProject, releaseOwnership } from "../members/owner-guard.ts";
import { unassignOpenTasks } from "../members/unassign-open-tasks.ts";
import { toWorker } from "../workers/to-worker.ts";
import { authorizeAgentManagement } from "./authorize-agent-management.ts";
import { loadAgent } from "./load-agent.ts";

/**
 * Deletes an agent softly: its keys are revoked, its memberships removed and its open tasks
 * unassigned, each audited; the worker row stays (with `deletedAt`) so the audit trail keeps
 * naming it. An agent that is the last owner of a project is not deleted (`last_owner`).
 */
export async function deleteAgent(db: TaskflowDb, actor: Actor, agentId: string): Promise<void> {
  authorizeAgentManagement(actor);
  await db.transaction(async (tx) => {
    const before = await loadAgent(tx, actor, agentId, { forUpdate: true });
    await revokeKeys(tx, actor, agentId);
    const memberships = await tx
      .select({ membership: projectMembers, project: projects })
      .from(projectMembers)
      .innerJoin(projects, eq(projects.id, projectMembers.projectId))
      .where(eq(projectMembers.workerId, agentId));
    for (const { membership, project } of memberships) {
      if (membership.role === "owner") {
        await lockProject(tx, project.id);
        await releaseOwnership(tx, actor, project, agentId);
      }
      await recordAudit(tx, actor, {
        entityType: "member",
        entityId: agentId,
        projectId: project.id,
        action: "member.removed",
        before: { workerId: agentId, role: membership.role },
        after: null,
      });
    }
    await tx.delete(projectMembers).where(eq(projectMembers.workerId, agentId));
    await unassignOpenTasks(tx, actor, agentId);
    const [deleted] = await tx
      .update(workers)
      .set({ deletedAt: new Date(), updatedAt: new Date() })
      .where(eq(workers.id, agentId))
      .returning();
    if (!deleted) throw new Error("update returned no agent");
    await recordAudit(tx, actor, {
      entityType: "worker",
      entityId: agentId,
      action: "agent.deleted",
      before: toWorker(before),
      after: toWorker(deleted),
    });
  });
}
