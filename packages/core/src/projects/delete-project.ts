import { eq } from "drizzle-orm";
import type { Actor } from "../actor.ts";
import { recordAudit } from "../audit/record-audit.ts";
import { authorizeProject } from "../authorization/project-access.ts";
import type { TaskflowDb } from "../db/database.ts";
import { projects } from "../db/schema/projects.ts";

/** Deletes a project with its members, tasks and comments; its audit trail stays. */
export async function deleteProject(db: TaskflowDb, actor: Actor, projectId: string): Promise<void> {
  await db.transaction(async (tx) => {
    const { project } = await authorizeProject(tx, actor, projectId, "project.delete");
    await tx.delete(projects).where(eq(projects.id, projectId));
    await recordAudit(tx, actor, {
      entityType: "project",
      entityId: projectId,
      projectId,
      action: "project.deleted",
      before: project,
    });
  });
}
