import type { Actor } from "../actor.ts";
import type { TaskflowTx } from "../db/database.ts";
import { notify } from "../notifications/notify.ts";
import { questionRecipients } from "../notifications/recipients.ts";
import type { TaskRow } from "../tasks/authorize-task.ts";
import type { ActivityRow, RunRow } from "./select-runs.ts";

// What a run tells people, through the inbox's notify (notifications/notify.ts), in the activity's transaction:
// a question (an elicitation) to the person it names or the task's reviewers, an answer or outcome (a response)
// to the task's creator, and a stop acknowledged without a claim to the person who asked. A stop acknowledged on
// a claimed task is told by acknowledgeTaskStop (claims/acknowledge-stop.ts), as before runs.

/** Tells people what an agent's activity asks of them or tells them, if anything. */
export async function notifyActivity(
  tx: TaskflowTx,
  actor: Actor,
  run: RunRow,
  task: TaskRow,
  activity: ActivityRow,
): Promise<void> {
  if (activity.type === "elicitation") {
    await notify(tx, {
      kind: "question",
      recipientIds: await questionRecipients(tx, task, activity.askedOfId),
      task,
      actor,
      body: activity.body,
      runId: run.id,
    });
  } else if (activity.type === "response" && activity.signal === null) {
    await notify(tx, {
      kind: "outcome",
      recipientIds: [task.creatorId],
      task,
      actor,
      body: activity.body,
      runId: run.id,
    });
  }
}

/** The agent acknowledged a stop that no claim carried: tell whoever asked for it. */
export async function notifyRunStopAcknowledged(
  tx: TaskflowTx,
  actor: Actor,
  run: RunRow,
  task: TaskRow,
  requestedById: string | null,
  note: string,
): Promise<void> {
  await notify(tx, {
    kind: "stop_acknowledged",
    recipientIds: [requestedById],
    task,
    actor,
    body: note,
    runId: run.id,
  });
}
