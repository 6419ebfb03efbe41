import { and, eq } from "drizzle-orm";
import type { Actor } from "../actor.ts";
import { recordAudit } from "../audit/record-audit.ts";
import { roleAllows } from "../authorization/permissions.ts";
import { authorizeProject } from "../authorization/project-access.ts";
import type { TaskflowDb } from "../db/database.ts";
import { projectMembers } from "../db/schema/projects.ts";
import { forbidden } from "../errors.ts";
import { announceInboxChange } from "../notifications/inbox-announcements.ts";
import { loadMembership } from "./load-membership.ts";
import { lockProject, releaseOwnership } from "./owner-guard.ts";
import { unassignOpenTasks } from "./unassign-open-tasks.ts";

/**
 * Removes a member, or lets a member leave (removing oneself needs no permission beyond being
 * there). Removing an owner needs an owner; the last owner can neither leave nor be removed.
 * Their open tasks in the project are unassigned.
 */
export async function removeMember(
  db: TaskflowDb,
  actor: Actor,
  projectId: string,
  workerId: string,
): Promise<void> {
  await db.transaction(async (tx) => {
    const leaving = workerId === actor.workerId;
    const { project, role } = await authorizeProject(
      tx,
      actor,
      projectId,
      leaving ? "member.leave" : "member.manage",
    );
    await lockProject(tx, projectId);
    const { membership } = await loadMembership(tx, projectId, workerId);
    if (membership.role === "owner") {
      if (!leaving && !roleAllows(role, "member.manage_owners"))
        throw forbidden("only an owner can remove an owner");
      await releaseOwnership(tx, actor, project, workerId);
    }
    await tx
      .delete(projectMembers)
      .where(and(eq(projectMembers.projectId, projectId), eq(projectMembers.workerId, workerId)));
    await recordAudit(tx, actor, {
      entityType: "member",
      entityId: workerId,
      projectId,
      action: "member.removed",
      before: { workerId, role: membership.role },
      after: null,
    });
    await unassignOpenTasks(tx, actor, workerId, projectId);
    // Their notifications of this project leave their inbox, count and live stream at once.
    await announceInboxChange(tx, [workerId]);
  });
}
