import { and, eq, like } from "drizzle-orm";
import type { Actor } from "../actor.ts";
import { recordAudit } from "../audit/record-audit.ts";
import type { ProjectRow } from "../authorization/project-access.ts";
import type { TaskflowTx } from "../db/database.ts";
import { projectMembers, projects } from "../db/schema/projects.ts";
import { DomainError, isUniqueViolation } from "../errors.ts";
import { slugify } from "./slugify.ts";

export interface NewProject {
  name: string;
  slug?: string | undefined;
  description: string;
  isDefault?: boolean;
}

/**
 * Inserts a project owned by the actor, its owner membership and both audit rows. A slug the
 * caller chose must be free; a derived one gets a numeric suffix until it is.
 */
export async function insertProject(tx: TaskflowTx, actor: Actor, input: NewProject): Promise<ProjectRow> {
  const slug = input.slug ?? (await freeSlug(tx, actor.tenantId, slugify(input.name)));
  let project: ProjectRow | undefined;
  try {
    [project] = await tx
      .insert(projects)
      .values({
        tenantId: actor.tenantId,
        slug,
        name: input.name,
        description: input.description,
        ownerId: actor.workerId,
        isDefault: input.isDefault ?? false,
      })
      .returning();
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new DomainError("conflict", `the slug "${slug}" is taken in this organization`, {
        issues: [{ field: "body.slug", message: "already used by another project" }],
      });
    }
    throw error;
  }
  if (!project) throw new Error("insert returned no project");
  await tx.insert(projectMembers).values({ projectId: project.id, workerId: actor.workerId, role: "owner" });
  await recordAudit(tx, actor, {
    entityType: "project",
    entityId: project.id,
    projectId: project.id,
    action: "project.created",
    after: project,
  });
  await recordAudit(tx, actor, {
    entityType: "member",
    entityId: actor.workerId,
    projectId: project.id,
    action: "member.added",
    after: { workerId: actor.workerId, role: "owner" },
  });
  return project;
}

async function freeSlug(tx: TaskflowTx, tenantId: string, base: string): Promise<string> {
  const taken = new Set(
    (
      await tx
        .select({ slug: projects.slug })
        .from(projects)
        .where(and(eq(projects.tenantId, tenantId), like(projects.slug, `${base}%`)))
    ).map((r) => r.slug),
  );
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) if (!taken.has(`${base}-${n}`)) return `${base}-${n}`;
}
