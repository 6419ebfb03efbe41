import type { RunActivity, Task } from "@taskflow/contracts";
import { eq, sql } from "drizzle-orm";
import type { Actor } from "../actor.ts";
import { recordAudit } from "../audit/record-audit.ts";
import { insertComment } from "../comments/insert-comment.ts";
import type { TaskflowDb } from "../db/database.ts";
import { tasks } from "../db/schema/tasks.ts";
import { findOpenRun } from "../runs/open-run.ts";
import { promptsAfter } from "../runs/read-prompts.ts";
import { authorizeTask } from "../tasks/authorize-task.ts";
import { loadTask } from "../tasks/select-tasks.ts";
import { holdsLiveClaim, leaseRenewal } from "./lease.ts";
import { noLeaseToRenew } from "./no-lease-to-renew.ts";

export interface Heartbeat {
  progress?: number | undefined;
  note?: string | undefined;
}

export interface HeartbeatAnswer {
  task: Task;
  /** `stop` when a person asked the holder to stop: acknowledge it and stop working. */
  action: "continue" | "stop";
  leaseExpiresAt: string;
  /** The holder's open run on the task (agents), and the prompts on it it has not read yet. */
  runId: string | null;
  prompts: RunActivity[];
}

/**
 * The holder says it is still working: the lease is extended, optional progress is recorded, and
 * the answer says whether a person asked it to stop. Without a live claim there is nothing to
 * renew, and the refusal says why (handed in, lapsed, someone else's): no-lease-to-renew.ts.
 * Plain heartbeats are not audited (they would drown the trail); progress is.
 */
export async function heartbeatTask(
  db: TaskflowDb,
  actor: Actor,
  taskId: string,
  beat: Heartbeat = {},
  now: Date = new Date(),
): Promise<HeartbeatAnswer> {
  return db.transaction(async (tx) => {
    const { task } = await authorizeTask(tx, actor, taskId, "task.work", { forUpdate: true });
    if (!holdsLiveClaim(task, actor, now)) throw noLeaseToRenew(task, actor);
    const progressChanges = beat.progress !== undefined && beat.progress !== task.progress;
    const [updated] = await tx
      .update(tasks)
      .set({
        ...leaseRenewal(task, actor, now),
        ...(progressChanges
          ? { progress: beat.progress, version: sql`${tasks.version} + 1`, updatedAt: now }
          : {}),
      })
      .where(eq(tasks.id, taskId))
      .returning();
    if (progressChanges) {
      await recordAudit(tx, actor, {
        entityType: "task",
        entityId: taskId,
        projectId: task.projectId,
        taskId,
        action: "task.progress_updated",
        before: task,
        after: updated,
      });
    }
    if (beat.note) {
      await insertComment(tx, actor, task, {
        kind: "progress",
        body: beat.note,
        progress: beat.progress ?? null,
      });
    }
    const stopRequested = task.stopRequestedAt !== null && task.stopAcknowledgedAt === null;
    // The heartbeat also answers what people said on the agent's run, so an agent that only heartbeats hears it.
    const run = await findOpenRun(tx, taskId, actor.workerId);
    return {
      task: await loadTask(tx, taskId),
      action: stopRequested ? "stop" : "continue",
      leaseExpiresAt: (updated?.leaseExpiresAt ?? now).toISOString(),
      runId: run?.id ?? null,
      prompts: run ? await promptsAfter(tx, run.id, run.agentReadSeq) : [],
    };
  });
}
