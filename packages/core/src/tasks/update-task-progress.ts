import type { ProgressUpdate, Task } from "@taskflow/contracts";
import { eq, sql } from "drizzle-orm";
import type { Actor } from "../actor.ts";
import { recordAudit } from "../audit/record-audit.ts";
import { leaseRenewal } from "../claims/lease.ts";
import { insertComment } from "../comments/insert-comment.ts";
import type { TaskflowDb } from "../db/database.ts";
import { tasks } from "../db/schema/tasks.ts";
import { DomainError } from "../errors.ts";
import { authorizeTask, type TaskAccessOptions } from "./authorize-task.ts";
import { loadTask } from "./select-tasks.ts";

/**
 * Reports progress (0–100) on a task that is not completed; a note is kept as a progress
 * comment carrying the figure. Progress alone never changes the status.
 */
export async function updateTaskProgress(
  db: TaskflowDb,
  actor: Actor,
  taskId: string,
  input: ProgressUpdate,
  options: Pick<TaskAccessOptions, "expectedVersion"> = {},
): Promise<Task> {
  return db.transaction(async (tx) => {
    const { task } = await authorizeTask(tx, actor, taskId, "task.work", { ...options, forUpdate: true });
    if (task.status === "completed") {
      throw new DomainError("conflict", "a completed task is at 100%; reopen it (status in_progress) first", {
        details: { current: task.status },
      });
    }
    const now = new Date();
    const [updated] = await tx
      .update(tasks)
      // A progress report from the claim's holder renews its lease, like a heartbeat.
      .set({
        progress: input.progress,
        version: sql`${tasks.version} + 1`,
        updatedAt: now,
        ...leaseRenewal(task, actor, now),
      })
      .where(eq(tasks.id, taskId))
      .returning();
    await recordAudit(tx, actor, {
      entityType: "task",
      entityId: taskId,
      projectId: task.projectId,
      taskId,
      action: "task.progress_updated",
      before: task,
      after: updated,
    });
    if (input.note) {
      await insertComment(tx, actor, task, { kind: "progress", body: input.note, progress: input.progress });
    }
    return loadTask(tx, taskId);
  });
}
