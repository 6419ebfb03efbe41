import { activityBodyMax, isSafeText } from "@taskflow/contracts";
import { and, desc, eq, gt, max, notInArray } from "drizzle-orm";
import type { Actor } from "../actor.ts";
import type { TaskflowTx } from "../db/database.ts";
import { agentRuns, runActivities } from "../db/schema/runs.ts";
import { workers } from "../db/schema/workers.ts";
import { queueDispatch } from "../dispatch/queue-dispatch.ts";
import type { TaskRow } from "../tasks/authorize-task.ts";
import { appendActivity } from "./append-activity.ts";
import { openRun } from "./open-run.ts";
import type { ActivityRow, RunRow } from "./select-runs.ts";

/** The stop prompt the run's agent has not acknowledged yet (the latest after the last acknowledgement), if any. */
export async function pendingStopPrompt(tx: TaskflowTx, runId: string): Promise<ActivityRow | undefined> {
  const [acknowledged] = await tx
    .select({ seq: max(runActivities.seq) })
    .from(runActivities)
    .where(
      and(
        eq(runActivities.runId, runId),
        eq(runActivities.type, "response"),
        eq(runActivities.signal, "stop"),
      ),
    );
  const [prompt] = await tx
    .select()
    .from(runActivities)
    .where(
      and(
        eq(runActivities.runId, runId),
        eq(runActivities.type, "prompt"),
        eq(runActivities.signal, "stop"),
        gt(runActivities.seq, acknowledged?.seq ?? 0),
      ),
    )
    .orderBy(desc(runActivities.seq))
    .limit(1);
  return prompt;
}

/**
 * A person's stop reaches an agent holding the task as a prompt with the `stop` signal on its run (opened if it
 * has none), and as a dispatch to its endpoint. Called by requestStop (POST /api/tasks/{id}/stop), after it set the
 * task's stop request; a person's claim has no run.
 */
export async function promptStopOnHolderRun(
  tx: TaskflowTx,
  actor: Actor,
  task: TaskRow,
  reason: string | undefined,
  now: Date,
): Promise<void> {
  if (!task.claimedById) return;
  const [holder] = await tx
    .select({ kind: workers.kind })
    .from(workers)
    .where(eq(workers.id, task.claimedById));
  if (holder?.kind !== "agent") return;
  const { run } = await openRun(tx, actor, task, task.claimedById, "prompt", now);
  const [locked] = await tx.select().from(agentRuns).where(eq(agentRuns.id, run.id)).for("update");
  await appendStopPrompt(tx, actor, locked ?? run, task, reason, now);
}

/** Appends the stop prompt and queues its dispatch. */
export async function appendStopPrompt(
  tx: TaskflowTx,
  actor: Actor,
  run: RunRow,
  task: TaskRow,
  reason: string | undefined,
  now: Date,
): Promise<{ activity: ActivityRow; run: RunRow }> {
  const appended = await appendActivity(
    tx,
    actor,
    run,
    "prompt",
    { body: reason ?? "", signal: "stop" },
    now,
  );
  await queueDispatch(tx, actor, appended.run, task, { reason: "prompted", prompt: appended.activity });
  return appended;
}

/**
 * The agent acknowledged a stop: its open run on the task ends `stopped` with a response carrying the signal.
 * Called by acknowledgeStop (the claim's acknowledgement, REST and MCP), so both ways of stopping end the run.
 */
export async function closeRunOnStop(
  tx: TaskflowTx,
  actor: Actor,
  task: Pick<TaskRow, "id">,
  note: string | undefined,
  now: Date,
): Promise<void> {
  const [run] = await tx
    .select()
    .from(agentRuns)
    .where(
      and(
        eq(agentRuns.taskId, task.id),
        eq(agentRuns.agentId, actor.workerId),
        notInArray(agentRuns.state, ["completed", "stopped"]),
      ),
    )
    .for("update");
  if (!run) return;
  // The note is the claim's (any text a comment takes); the run shows only text that is safe to read.
  const body = note && isSafeText(note) && note.length <= activityBodyMax ? note : "Stopped as asked.";
  await appendActivity(tx, actor, run, "response", { body, signal: "stop" }, now);
}
