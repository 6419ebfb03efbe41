import { and, eq, isNull } from "drizzle-orm";
import type { TaskflowExecutor } from "../db/database.ts";
import { projectMembers } from "../db/schema/projects.ts";
import { workers } from "../db/schema/workers.ts";
import { invalidInput } from "../errors.ts";

/**
 * A task can be assigned to any worker, person or agent, who is a member of its project (and,
 * for an agent, not deleted). Anyone else, including workers of other tenants, is refused alike.
 */
export async function assertAssignable(
  tx: TaskflowExecutor,
  tenantId: string,
  projectId: string,
  workerId: string,
  field: string,
): Promise<void> {
  const [member] = await tx
    .select({ workerId: projectMembers.workerId })
    .from(projectMembers)
    .innerJoin(workers, eq(workers.id, projectMembers.workerId))
    .where(
      and(
        eq(projectMembers.projectId, projectId),
        eq(projectMembers.workerId, workerId),
        eq(workers.tenantId, tenantId),
        isNull(workers.deletedAt),
      ),
    );
  if (!member) throw invalidInput(field, "not a member of this task's project");
}
