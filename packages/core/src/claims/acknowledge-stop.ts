import type { Task } from "@taskflow/contracts";
import { eq, sql } from "drizzle-orm";
import type { Actor } from "../actor.ts";
import { recordAudit } from "../audit/record-audit.ts";
import { insertComment } from "../comments/insert-comment.ts";
import type { TaskflowDb, TaskflowTx } from "../db/database.ts";
import { tasks } from "../db/schema/tasks.ts";
import { DomainError } from "../errors.ts";
import { notifyStopAcknowledged } from "../notifications/task-notifications.ts";
import { closeRunOnStop } from "../runs/stop-signals.ts";
import { authorizeTask, type TaskRow } from "../tasks/authorize-task.ts";
import { loadTask } from "../tasks/select-tasks.ts";
import { holdsLiveClaim, noClaim } from "./lease.ts";

/**
 * The holder confirms it stopped: the claim ends and the task is pending again (still assigned,
 * so the person decides what happens next). The stop stays on the task, acknowledged, and the
 * holder's run ends `stopped` (a response with the stop signal).
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
    if (!stopWaitsOnTask(task)) {
      throw new DomainError("conflict", "nobody asked you to stop this task; carry on");
    }
    await acknowledgeTaskStop(tx, actor, task, input.note, now);
    await closeRunOnStop(tx, actor, task, input.note, now);
    if (input.note) await insertComment(tx, actor, task, { kind: "note", body: input.note });
    return loadTask(tx, taskId);
  });
}

/** Whether the task carries a stop request its holder has not acknowledged. */
export function stopWaitsOnTask(task: TaskRow): boolean {
  return task.stopRequestedAt !== null && task.stopAcknowledgedAt === null;
}

/** Whether the actor holds the task with a stop waiting for it: acknowledging then ends the claim. */
export function holdsStoppedClaim(task: TaskRow, actor: Pick<Actor, "workerId">, now: Date): boolean {
  return holdsLiveClaim(task, actor, now) && stopWaitsOnTask(task);
}

/**
 * Acknowledges the stop on a task the caller has locked and holds: the claim ends, work in progress is pending
 * again, audited (`task.stop_acknowledged`), and the person who asked is told. Also reached by a response with the
 * stop signal on the holder's run (runs/post-activity.ts).
 */
export async function acknowledgeTaskStop(
  tx: TaskflowTx,
  actor: Actor,
  task: TaskRow,
  note: string | undefined,
  now: Date,
): Promise<void> {
  const [acknowledged] = await tx
    .update(tasks)
    .set({
      ...noClaim,
      stopAcknowledgedAt: now,
      status: task.status === "in_progress" ? "pending" : task.status,
      version: sql`${tasks.version} + 1`,
      updatedAt: now,
    })
    .where(eq(tasks.id, task.id))
    .returning();
  await recordAudit(tx, actor, {
    entityType: "task",
    entityId: task.id,
    projectId: task.projectId,
    taskId: task.id,
    action: "task.stop_acknowledged",
    before: task,
    after: acknowledged,
  });
  if (acknowledged) await notifyStopAcknowledged(tx, actor, acknowledged, note);
}
