import type { Task } from "@taskflow/contracts";
import { eq, sql } from "drizzle-orm";
import type { Actor } from "../actor.ts";
import { recordAudit } from "../audit/record-audit.ts";
import type { TaskflowDb } from "../db/database.ts";
import { tasks } from "../db/schema/tasks.ts";
import { DomainError } from "../errors.ts";
import { authorizeTask } from "../tasks/authorize-task.ts";
import { loadTask } from "../tasks/select-tasks.ts";
import { noClaim } from "./lease.ts";

/** The holder gives a task back: unclaimed, unassigned, pending again, for someone else to take. */
export async function releaseTask(
  db: TaskflowDb,
  actor: Actor,
  taskId: string,
  now: Date = new Date(),
): Promise<Task> {
  return db.transaction(async (tx) => {
    const { task } = await authorizeTask(tx, actor, taskId, "task.work", { forUpdate: true });
    if (task.claimedById !== actor.workerId) {
      throw new DomainError("conflict", "you do not hold this task", { details: { current: task.status } });
    }
    const [released] = await tx
      .update(tasks)
      .set({
        ...noClaim,
        assigneeId: null,
        status: task.status === "in_progress" ? "pending" : task.status,
        version: sql`${tasks.version} + 1`,
        updatedAt: now,
      })
      .where(eq(tasks.id, taskId))
      .returning();
    await recordAudit(tx, actor, {
      entityType: "task",
      entityId: taskId,
      projectId: task.projectId,
      taskId,
      action: "task.released",
      before: task,
      after: released,
    });
    return loadTask(tx, taskId);
  });
}
