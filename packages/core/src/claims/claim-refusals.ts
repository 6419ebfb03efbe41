import { and, eq, ne } from "drizzle-orm";
import type { Actor } from "../actor.ts";
import type { TaskflowExecutor } from "../db/database.ts";
import { taskDependencies, tasks } from "../db/schema/tasks.ts";
import { workers } from "../db/schema/workers.ts";
import { DomainError } from "../errors.ts";
import type { TaskRow } from "../tasks/authorize-task.ts";

/** Why a specific task cannot be claimed by this actor now, or null when it can. */
export async function claimRefusal(
  tx: TaskflowExecutor,
  actor: Actor,
  task: TaskRow,
  now: Date,
): Promise<DomainError | null> {
  const live = task.claimedById !== null && task.leaseExpiresAt !== null && task.leaseExpiresAt > now;
  if (live && task.claimedById !== actor.workerId) {
    const [holder] = await tx
      .select({ id: workers.id, handle: workers.handle, name: workers.name, kind: workers.kind })
      .from(workers)
      .where(eq(workers.id, task.claimedById as string));
    return new DomainError(
      "conflict",
      `${holder?.handle ?? "another worker"} holds this task until ${task.leaseExpiresAt?.toISOString()}`,
      {
        details: { heldBy: holder ?? null, leaseExpiresAt: task.leaseExpiresAt?.toISOString() },
      },
    );
  }
  if (!live && task.status !== "pending") {
    return new DomainError("conflict", `a ${task.status} task cannot be claimed; only pending tasks can`, {
      details: { current: task.status },
    });
  }
  if (task.assigneeId && task.assigneeId !== actor.workerId) {
    return new DomainError("conflict", "the task is assigned to another worker; ask to have it reassigned", {
      details: { assigneeId: task.assigneeId },
    });
  }
  const open = await openDependencyIds(tx, task.id);
  if (open.length > 0) {
    return new DomainError("conflict", `the task waits on ${open.length} unfinished task(s)`, {
      details: { blockedBy: open },
    });
  }
  if (actor.type === "agent" && task.requiredCapabilities.length > 0) {
    const [agent] = await tx
      .select({ capabilities: workers.capabilities })
      .from(workers)
      .where(eq(workers.id, actor.workerId));
    const missing = task.requiredCapabilities.filter((c) => !agent?.capabilities.includes(c));
    if (missing.length > 0) {
      return new DomainError(
        "forbidden",
        `this task needs capabilities you do not have: ${missing.join(", ")}`,
        {
          details: { missingCapabilities: missing },
        },
      );
    }
  }
  return null;
}

async function openDependencyIds(tx: TaskflowExecutor, taskId: string): Promise<string[]> {
  const rows = await tx
    .select({ id: taskDependencies.dependsOnId })
    .from(taskDependencies)
    .innerJoin(tasks, eq(tasks.id, taskDependencies.dependsOnId))
    .where(and(eq(taskDependencies.taskId, taskId), ne(tasks.status, "completed")));
  return rows.map((r) => r.id);
}
