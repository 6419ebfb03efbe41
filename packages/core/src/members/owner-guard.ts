import { and, asc, eq, ne } from "drizzle-orm";
import type { Actor } from "../actor.ts";
import { recordAudit } from "../audit/record-audit.ts";
import type { TaskflowTx } from "../db/database.ts";
import { projectMembers, projects } from "../db/schema/projects.ts";
import { DomainError } from "../errors.ts";

/**
 * Serializes membership changes of one project (row lock on the project), so two owners removing
 * each other at the same moment cannot leave it without an owner.
 */
export async function lockProject(tx: TaskflowTx, projectId: string): Promise<void> {
  await tx.select({ id: projects.id }).from(projects).where(eq(projects.id, projectId)).for("update");
}

/** The project's other owners, longest-standing first. */
async function otherOwners(tx: TaskflowTx, projectId: string, workerId: string): Promise<string[]> {
  const rows = await tx
    .select({ workerId: projectMembers.workerId })
    .from(projectMembers)
    .where(
      and(
        eq(projectMembers.projectId, projectId),
        eq(projectMembers.role, "owner"),
        ne(projectMembers.workerId, workerId),
      ),
    )
    .orderBy(asc(projectMembers.createdAt), asc(projectMembers.workerId));
  return rows.map((r) => r.workerId);
}

/**
 * Call before an owner stops being one (leaves, is removed or demoted): refuses when they are the
 * last owner, and hands `projects.owner_id` to the longest-standing other owner when it names them.
 */
export async function releaseOwnership(
  tx: TaskflowTx,
  actor: Actor,
  project: { id: string; name: string; ownerId: string },
  workerId: string,
): Promise<void> {
  const others = await otherOwners(tx, project.id, workerId);
  const successor = others[0];
  if (!successor) {
    throw new DomainError(
      "last_owner",
      `this is the last owner of the project "${project.name}"; make another member owner first`,
      { details: { projectId: project.id } },
    );
  }
  if (project.ownerId !== workerId) return;
  await tx
    .update(projects)
    .set({ ownerId: successor, updatedAt: new Date() })
    .where(eq(projects.id, project.id));
  await recordAudit(tx, actor, {
    entityType: "project",
    entityId: project.id,
    projectId: project.id,
    action: "project.updated",
    before: { ownerId: workerId },
    after: { ownerId: successor },
  });
}
