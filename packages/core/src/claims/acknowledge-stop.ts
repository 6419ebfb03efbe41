import type { Task } from "@taskflow/contracts";
import { eq, sql } from "drizzle-orm";
import type { Actor } from "../actor.ts";
import { recordAudit } from "../audit/record-audit.ts";
import { insertComment } from "../comments/insert-comment.ts";
import type { TaskflowDb } from "../db/database.ts";
import { tasks } from "../db/schema/tasks.ts";
import { DomainError } from "../errors.ts";
import { authorizeTask } from "../tasks/authorize-task.ts";
import { loadTask } from "../tasks/select-tasks.ts";
import { noClaim } from "./lease.ts";

/**
 * The holder confirms it stopped: the claim ends and the task is pending again (still assigned,
 * so the person decides what happens next). The stop stays on the task, acknowledged.
 */
export async function acknowledgeStop(
  db: TaskflowDb,
  actor: Actor,
  taskId: string,
  input: { note?: string | undefined } = {},
  now: Date = new Date(),
): Promise<Task> {
  return db.transaction(async (tx) => {
    const { task } = await authorizeTask(tx, actor, taskId, "task.work", { forUpdate: true });
    if (task.claimedById !== actor.workerId) throw new DomainError("conflict", "you do not hold this task");
    if (!task.stopRequestedAt || task.stopAcknowledgedAt) {
      throw new DomainError("conflict", "nobody asked you to stop this task; carry on");
    }
    const [acknowledged] = await tx
      .update(tasks)
      .set({
        ...noClaim,
        stopAcknowledgedAt: now,
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
      action: "task.stop_acknowledged",
      before: task,
      after: acknowledged,
    });
    if (input.note) await insertComment(tx, actor, task, { kind: "note", body: input.note });
    return loadTask(tx, taskId);
  });
}
