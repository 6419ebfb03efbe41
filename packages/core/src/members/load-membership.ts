import { and, eq } from "drizzle-orm";
import type { TaskflowTx } from "../db/database.ts";
import { projectMembers } from "../db/schema/projects.ts";
import { workers } from "../db/schema/workers.ts";
import { notFound } from "../errors.ts";

/** A member of a project with their worker, or not found. */
export async function loadMembership(tx: TaskflowTx, projectId: string, workerId: string) {
  const [row] = await tx
    .select({ membership: projectMembers, worker: workers })
    .from(projectMembers)
    .innerJoin(workers, eq(workers.id, projectMembers.workerId))
    .where(and(eq(projectMembers.projectId, projectId), eq(projectMembers.workerId, workerId)));
  if (!row) throw notFound("member");
  return row;
}
