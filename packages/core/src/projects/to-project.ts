import type { Project, ProjectRole } from "@taskflow/contracts";
import type { ProjectRow } from "../authorization/project-access.ts";

export function toProject(row: ProjectRow, role: ProjectRole): Project {
  return {
    id: row.id,
    slug: row.slug,
    name: row.name,
    description: row.description,
    ownerId: row.ownerId,
    isDefault: row.isDefault,
    role,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
