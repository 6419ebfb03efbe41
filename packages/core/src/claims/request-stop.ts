import type { Task } from "@taskflow/contracts";
import { eq, sql } from "drizzle-orm";
import type { Actor } from "../actor.ts";
import { recordAudit } from "../audit/record-audit.ts";
import type { TaskflowDb, TaskflowTx } from "../db/database.ts";
import { tasks } from "../db/schema/tasks.ts";
import { DomainError } from "../errors.ts";
import { authorizePrompt } from "../runs/authorize-run.ts";
import { promptStopOnHolderRun } from "../runs/stop-signals.ts";
import type { TaskRow } from "../tasks/authorize-task.ts";
import { loadTask } from "../tasks/select-tasks.ts";

/**
 * A person asks whoever holds a task to stop. The holder learns it from its next heartbeat and
 * acknowledges; the task shows who asked, when, why, and when it was acknowledged. An agent holder
 * also gets it as a prompt with the `stop` signal on its run (and a dispatch to its endpoint).
 */
export async function requestStop(
  db: TaskflowDb,
  actor: Actor,
  taskId: string,
  input: { reason?: string | undefined },
  now: Date = new Date(),
): Promise<Task> {
  return db.transaction(async (tx) => {
    // A stop is a person's prompt to whoever holds the task: decided as every prompt is.
    const { task } = await authorizePrompt(tx, actor, { taskId }, { lockTask: true });
    const live = task.claimedById !== null && task.leaseExpiresAt !== null && task.leaseExpiresAt > now;
    if (!live) throw new DomainError("conflict", "nobody holds this task, so there is nothing to stop");
    const stopped = await setTaskStop(tx, actor, task, input.reason, now);
    await promptStopOnHolderRun(tx, actor, stopped, input.reason, now);
    return loadTask(tx, taskId);
  });
}

/** Records the stop request on a task the caller has locked, with its `task.stop_requested` audit row. */
export async function setTaskStop(
  tx: TaskflowTx,
  actor: Actor,
  task: TaskRow,
  reason: string | undefined,
  now: Date,
): Promise<TaskRow> {
  const [stopped] = await tx
    .update(tasks)
    .set({
      stopRequestedById: actor.workerId,
      stopRequestedAt: now,
      stopReason: reason ?? null,
      stopAcknowledgedAt: null,
      version: sql`${tasks.version} + 1`,
      updatedAt: now,
    })
    .where(eq(tasks.id, task.id))
    .returning();
  if (!stopped) throw new Error("the task vanished");
  await recordAudit(tx, actor, {
    entityType: "task",
    entityId: task.id,
    projectId: task.projectId,
    taskId: task.id,
    action: "task.stop_requested",
    before: task,
    after: stopped,
  });
  return stopped;
}
