import type { Member } from "@taskflow/contracts";
import { eq } from "drizzle-orm";
import type { Actor } from "../actor.ts";
import { authorizeProject } from "../authorization/project-access.ts";
import type { TaskflowDb } from "../db/database.ts";
import { type ProjectRole, projectMembers } from "../db/schema/projects.ts";
import { workers } from "../db/schema/workers.ts";
import { toMember } from "./to-member.ts";

const order: Record<ProjectRole, number> = { owner: 0, admin: 1, member: 2, viewer: 3 };

/** A project's members, owners first, then by handle. Anyone who may read the project may list them. */
export async function listMembers(db: TaskflowDb, actor: Actor, projectId: string): Promise<Member[]> {
  await authorizeProject(db, actor, projectId, "project.read");
  const rows = await db
    .select({ membership: projectMembers, worker: workers })
    .from(projectMembers)
    .innerJoin(workers, eq(workers.id, projectMembers.workerId))
    .where(eq(projectMembers.projectId, projectId));
  return rows
    .sort(
      (a, b) =>
        order[a.membership.role] - order[b.membership.role] || a.worker.handle.localeCompare(b.worker.handle),
    )
    .map((r) => toMember(r.membership, r.worker));
}
