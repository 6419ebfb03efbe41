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
  const values = {
    tenantId: actor.tenantId,
    name: input.name,
    description: input.description,
    ownerId: actor.workerId,
    isDefault: input.isDefault ?? false,
  };
  const project = input.slug
    ? await insertWithChosenSlug(tx, { ...values, slug: input.slug })
    : await insertWithDerivedSlug(tx, values, slugify(input.name));
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

type ProjectValues = typeof projects.$inferInsert;

async function insertWithChosenSlug(tx: TaskflowTx, values: ProjectValues): Promise<ProjectRow | undefined> {
  try {
    const [project] = await tx.insert(projects).values(values).returning();
    return project;
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new DomainError("conflict", `the slug "${values.slug}" is taken in this organization`, {
        issues: [{ field: "body.slug", message: "already used by another project" }],
      });
    }
    throw error;
  }
}

/**
 * A derived slug is never the caller's fault: when a concurrent transaction takes the one we found free (two
 * people's first requests both creating "My tasks"), take the next free one. Each try runs in a savepoint so
 * the failed insert does not abort the caller's transaction.
 */
async function insertWithDerivedSlug(
  tx: TaskflowTx,
  values: Omit<ProjectValues, "slug">,
  base: string,
): Promise<ProjectRow | undefined> {
  for (let attempt = 0; ; attempt++) {
    const slug = await freeSlug(tx, values.tenantId, base);
    try {
      return await tx.transaction(async (savepoint) => {
        const [project] = await savepoint
          .insert(projects)
          .values({ ...values, slug })
          .returning();
        return project;
      });
    } catch (error) {
      if (!isUniqueViolation(error) || attempt >= 50) throw error;
    }
  }
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
