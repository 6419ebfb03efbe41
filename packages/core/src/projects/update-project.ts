import type { Project, ProjectUpdate } from "@taskflow/contracts";
import { and, eq } from "drizzle-orm";
import type { Actor } from "../actor.ts";
import { recordAudit } from "../audit/record-audit.ts";
import { roleAllows } from "../authorization/permissions.ts";
import { authorizeProject } from "../authorization/project-access.ts";
import type { TaskflowDb } from "../db/database.ts";
import { projectMembers, projects } from "../db/schema/projects.ts";
import { DomainError, forbidden, isUniqueViolation } from "../errors.ts";
import { toProject } from "./to-project.ts";

/** Renames, re-describes or hands over a project. A new owner must already be a member. */
export async function updateProject(
  db: TaskflowDb,
  actor: Actor,
  projectId: string,
  changes: ProjectUpdate,
): Promise<Project> {
  return db.transaction(async (tx) => {
    const { project, role } = await authorizeProject(tx, actor, projectId, "project.update");
    if (changes.ownerId !== undefined && changes.ownerId !== project.ownerId) {
      if (!roleAllows(role, "member.manage_owners")) throw forbidden("only an owner can hand over a project");
      const [member] = await tx
        .select()
        .from(projectMembers)
        .where(and(eq(projectMembers.projectId, projectId), eq(projectMembers.workerId, changes.ownerId)));
      if (!member) {
        throw new DomainError("invalid_input", "the new owner must be a member of the project", {
          issues: [{ field: "body.ownerId", message: "not a member of this project" }],
        });
      }
      await tx
        .update(projectMembers)
        .set({ role: "owner" })
        .where(and(eq(projectMembers.projectId, projectId), eq(projectMembers.workerId, changes.ownerId)));
    }
    let updated: typeof project | undefined;
    try {
      [updated] = await tx
        .update(projects)
        .set({ ...changes, updatedAt: new Date() })
        .where(eq(projects.id, projectId))
        .returning();
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new DomainError("conflict", `the slug "${changes.slug}" is taken in this organization`, {
          issues: [{ field: "body.slug", message: "already used by another project" }],
        });
      }
      throw error;
    }
    if (!updated) throw new Error("update returned no project");
    await recordAudit(tx, actor, {
      entityType: "project",
      entityId: projectId,
      projectId,
      action: "project.updated",
      before: project,
      after: updated,
    });
    return toProject(updated, role);
  });
}
