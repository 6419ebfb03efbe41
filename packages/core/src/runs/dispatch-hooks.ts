import { activityBodyMax, isSafeText } from "@taskflow/contracts";
import { and, eq, isNull } from "drizzle-orm";
import type { Actor } from "../actor.ts";
import { mentionedMembers, parseMentions } from "../comments/mentions.ts";
import type { TaskflowTx } from "../db/database.ts";
import { agentRuns } from "../db/schema/runs.ts";
import { tasks } from "../db/schema/tasks.ts";
import { workers } from "../db/schema/workers.ts";
import { queueDispatch } from "../dispatch/queue-dispatch.ts";
import type { TaskRow } from "../tasks/authorize-task.ts";
import { appendActivity } from "./append-activity.ts";
import { openRun } from "./open-run.ts";

// How an agent that is not running gets work pushed to it (dispatch): being put on a task, or @mentioned in a
// comment, by someone else opens (or takes up) its run on the task and queues a signed delivery to its endpoint,
// in the transaction of the assignment or the comment. Prompting a run dispatches too (post-activity.ts).

/** A task now has an agent assignee, put there by someone else: its run opens `pending` and it is dispatched. */
export async function dispatchAssignedAgent(
  tx: TaskflowTx,
  actor: Actor,
  task: TaskRow,
  previousAssigneeId: string | null,
): Promise<void> {
  const agentId = task.assigneeId;
  if (!agentId || agentId === previousAssigneeId || agentId === actor.workerId) return;
  const [agent] = await tx
    .select({ id: workers.id })
    .from(workers)
    .where(and(eq(workers.id, agentId), eq(workers.kind, "agent"), isNull(workers.deletedAt)));
  if (!agent) return;
  const { run } = await openRun(tx, actor, task, agentId, "assign");
  await queueDispatch(tx, actor, run, task, { reason: "assigned" });
}

/**
 * The agents of the project a comment @mentions (people are the inbox's: notifyMentions): each one's run opens
 * (or is taken up) with the comment as a person's prompt, and it is dispatched. A comment by an agent dispatches
 * without a prompt (prompts come from people).
 */
export async function dispatchMentionedAgents(
  tx: TaskflowTx,
  actor: Actor,
  taskRef: Pick<TaskRow, "id" | "projectId">,
  comment: { id: string; body: string },
): Promise<void> {
  if (parseMentions(comment.body).length === 0) return;
  const agents = (await mentionedMembers(tx, actor.tenantId, taskRef.projectId, comment.body)).filter(
    (worker) => worker.kind === "agent" && worker.id !== actor.workerId,
  );
  if (agents.length === 0) return;
  const [task] = await tx.select().from(tasks).where(eq(tasks.id, taskRef.id));
  if (!task) return;
  // The comment is any text a comment may be; the run shows a person only text that is safe to read.
  const body =
    isSafeText(comment.body) && comment.body.length <= activityBodyMax
      ? comment.body
      : "(mentioned you in a comment on this task)";
  for (const agent of agents) {
    const { run } = await openRun(tx, actor, task, agent.id, "mention");
    const [locked] = await tx.select().from(agentRuns).where(eq(agentRuns.id, run.id)).for("update");
    let current = locked ?? run;
    let prompt: Awaited<ReturnType<typeof appendActivity>>["activity"] | undefined;
    if (actor.type === "human") {
      const appended = await appendActivity(tx, actor, current, "prompt", { body });
      prompt = appended.activity;
      current = appended.run;
    }
    await queueDispatch(tx, actor, current, task, { reason: "mentioned", prompt, comment });
  }
}
