import { and, eq, sql } from "drizzle-orm";
import type { Actor } from "../actor.ts";
import { recordAudit } from "../audit/record-audit.ts";
import type { TaskflowTx } from "../db/database.ts";
import { taskDependencies, tasks } from "../db/schema/tasks.ts";
import { DomainError, invalidInput } from "../errors.ts";
import { findDependencyCycle } from "./find-dependency-cycle.ts";

/** Advisory lock space (first key) of a project's dependency graph, held while an edge is added. */
export const dependencyLockSpace = 7_300_101;

/**
 * Records `task depends on dependsOnId` and audits `task.dependency_added`, after checking that
 * the other task is in the same project, is not the task itself, and closes no cycle (409 naming
 * it in `details.cycle`). Changes to a project's graph are serialized by an advisory lock, so two
 * concurrent additions cannot close a cycle together. Returns false when the edge already existed.
 */
export async function insertDependency(
  tx: TaskflowTx,
  actor: Actor,
  task: { id: string; projectId: string; tenantId: string },
  dependsOnId: string,
  field = "body.dependsOnId",
): Promise<boolean> {
  if (dependsOnId === task.id) throw invalidInput(field, "a task cannot depend on itself");
  const [other] = await tx
    .select({ id: tasks.id })
    .from(tasks)
    .where(
      and(eq(tasks.id, dependsOnId), eq(tasks.tenantId, task.tenantId), eq(tasks.projectId, task.projectId)),
    );
  if (!other) throw invalidInput(field, "no such task in this project (dependencies stay inside a project)");
  await tx.execute(sql`select pg_advisory_xact_lock(${dependencyLockSpace}, hashtext(${task.projectId}))`);
  const cycle = await findDependencyCycle(tx, task.id, dependsOnId);
  if (cycle) {
    throw new DomainError(
      "conflict",
      `this dependency would close a cycle: ${[...cycle, cycle[0]].join(" → ")}`,
      { details: { cycle } },
    );
  }
  const inserted = await tx
    .insert(taskDependencies)
    .values({ taskId: task.id, dependsOnId, tenantId: task.tenantId })
    .onConflictDoNothing()
    .returning();
  if (inserted.length === 0) return false;
  await recordAudit(tx, actor, {
    entityType: "task",
    entityId: task.id,
    projectId: task.projectId,
    taskId: task.id,
    action: "task.dependency_added",
    after: { taskId: task.id, dependsOnId },
  });
  return true;
}
