import type { Member, MemberUpdate } from "@taskflow/contracts";
import { and, eq } from "drizzle-orm";
import type { Actor } from "../actor.ts";
import { recordAudit } from "../audit/record-audit.ts";
import { roleAllows } from "../authorization/permissions.ts";
import { authorizeProject } from "../authorization/project-access.ts";
import type { TaskflowDb } from "../db/database.ts";
import { projectMembers } from "../db/schema/projects.ts";
import { forbidden } from "../errors.ts";
import { loadMembership } from "./load-membership.ts";
import { lockProject, releaseOwnership } from "./owner-guard.ts";
import { toMember } from "./to-member.ts";

/**
 * Changes a member's role. Granting or taking away `owner` needs an owner; the last owner cannot
 * be demoted (`last_owner`).
 */
export async function changeMemberRole(
  db: TaskflowDb,
  actor: Actor,
  projectId: string,
  workerId: string,
  input: MemberUpdate,
): Promise<Member> {
  return db.transaction(async (tx) => {
    const { project, role } = await authorizeProject(tx, actor, projectId, "member.manage");
    await lockProject(tx, projectId);
    const { membership, worker } = await loadMembership(tx, projectId, workerId);
    if (membership.role === input.role) return toMember(membership, worker);
    if ((membership.role === "owner" || input.role === "owner") && !roleAllows(role, "member.manage_owners"))
      throw forbidden("only an owner can grant or take away the owner role");
    if (membership.role === "owner") await releaseOwnership(tx, actor, project, workerId);
    const [updated] = await tx
      .update(projectMembers)
      .set({ role: input.role })
      .where(and(eq(projectMembers.projectId, projectId), eq(projectMembers.workerId, workerId)))
      .returning();
    if (!updated) throw new Error("update returned no membership");
    await recordAudit(tx, actor, {
      entityType: "member",
      entityId: workerId,
      projectId,
      action: "member.role_changed",
      before: { workerId, role: membership.role },
      after: { workerId, role: input.role },
    });
    return toMember(updated, worker);
  });
}
