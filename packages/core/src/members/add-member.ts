import type { Member, MemberAdd } from "@taskflow/contracts";
import { and, eq, isNull } from "drizzle-orm";
import type { Actor } from "../actor.ts";
import { recordAudit } from "../audit/record-audit.ts";
import { roleAllows } from "../authorization/permissions.ts";
import { authorizeProject } from "../authorization/project-access.ts";
import type { TaskflowDb, TaskflowTx } from "../db/database.ts";
import { projectMembers } from "../db/schema/projects.ts";
import { workers } from "../db/schema/workers.ts";
import { DomainError, forbidden, isUniqueViolation } from "../errors.ts";
import { announceInboxChange } from "../notifications/inbox-announcements.ts";
import { toMember } from "./to-member.ts";

/**
 * Adds a worker (a person or an agent) of the caller's organization to a project. Admins add
 * admins, members and viewers; only owners make someone an owner.
 */
export async function addMember(
  db: TaskflowDb,
  actor: Actor,
  projectId: string,
  input: MemberAdd,
): Promise<Member> {
  return db.transaction((tx) => addMemberIn(tx, actor, projectId, input));
}

/** addMember inside the caller's transaction (registering an agent adds it to projects in the same one). */
export async function addMemberIn(
  tx: TaskflowTx,
  actor: Actor,
  projectId: string,
  input: MemberAdd,
): Promise<Member> {
  const { role } = await authorizeProject(tx, actor, projectId, "member.manage");
  if (input.role === "owner" && !roleAllows(role, "member.manage_owners"))
    throw forbidden("only an owner can make someone an owner");
  const [worker] = await tx
    .select()
    .from(workers)
    .where(
      and(eq(workers.id, input.workerId), eq(workers.tenantId, actor.tenantId), isNull(workers.deletedAt)),
    );
  if (!worker) {
    // 422 like every other id in a body that cannot be applied (the project in the path exists);
    // another organization's worker gets the same answer, so nothing is learned about it.
    throw new DomainError("invalid_input", "no such worker in this organization", {
      issues: [{ field: "body.workerId", message: "no such worker in this organization" }],
    });
  }
  let membership: typeof projectMembers.$inferSelect | undefined;
  try {
    [membership] = await tx
      .insert(projectMembers)
      .values({ projectId, workerId: worker.id, role: input.role })
      .returning();
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new DomainError("conflict", `${worker.handle} is already a member of this project`, {
        issues: [{ field: "body.workerId", message: "already a member; change their role instead" }],
      });
    }
    throw error;
  }
  if (!membership) throw new Error("insert returned no membership");
  await recordAudit(tx, actor, {
    entityType: "member",
    entityId: worker.id,
    projectId,
    action: "member.added",
    after: { workerId: worker.id, role: input.role },
  });
  // Notifications of this project they had before leaving it are theirs to see again.
  await announceInboxChange(tx, [worker.id]);
  return toMember(membership, worker);
}
