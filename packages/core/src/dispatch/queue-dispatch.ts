import { eq, sql } from "drizzle-orm";
import type { Actor } from "../actor.ts";
import type { TaskflowTx } from "../db/database.ts";
import { agentDispatches, agentEndpoints, type DispatchReason } from "../db/schema/runs.ts";
import { workers } from "../db/schema/workers.ts";
import type { ActivityRow, RunRow } from "../runs/select-runs.ts";
import type { TaskRow } from "../tasks/authorize-task.ts";
import { webhooksChannel } from "../webhooks/dispatcher.ts";

/** What a dispatch says beyond the run and the task: the prompt or the comment that caused it. */
export interface DispatchCause {
  reason: DispatchReason;
  prompt?: ActivityRow | undefined;
  comment?: { id: string; body: string } | undefined;
}

/**
 * Queues a delivery to the run's agent's endpoint, in the caller's transaction (so a rolled-back assignment,
 * mention or prompt sends nothing), when the agent registered one and someone else caused it. The body carries
 * what the agent needs to start without asking first: the run, the task, who and why, and where to answer.
 * Dispatchers on every replica are woken on the webhooks channel, delivered on commit.
 */
export async function queueDispatch(
  tx: TaskflowTx,
  actor: Actor,
  run: RunRow,
  task: Pick<TaskRow, "id" | "projectId" | "title" | "description" | "status" | "priority" | "dueAt">,
  cause: DispatchCause,
): Promise<boolean> {
  if (actor.workerId === run.agentId) return false;
  const [endpoint] = await tx
    .select({ agentId: agentEndpoints.agentId })
    .from(agentEndpoints)
    .where(eq(agentEndpoints.agentId, run.agentId));
  if (!endpoint) return false;
  const [by] = await tx
    .select({ id: workers.id, kind: workers.kind, handle: workers.handle, name: workers.name })
    .from(workers)
    .where(eq(workers.id, actor.workerId));
  const payload = {
    reason: cause.reason,
    run: { id: run.id, state: run.state, origin: run.origin, taskId: run.taskId, projectId: run.projectId },
    task: {
      id: task.id,
      projectId: task.projectId,
      title: task.title,
      description: task.description,
      status: task.status,
      priority: task.priority,
      dueAt: task.dueAt?.toISOString() ?? null,
    },
    by: by ?? null,
    prompt: cause.prompt
      ? {
          activityId: cause.prompt.id,
          seq: cause.prompt.seq,
          body: cause.prompt.body,
          signal: cause.prompt.signal,
          answers: cause.prompt.answersId,
          selected: cause.prompt.selected,
        }
      : null,
    comment: cause.comment ?? null,
    next: {
      mcp: "taskflow_read_prompts, taskflow_post_activity and taskflow_ask_and_wait with this runId",
      activities: `/api/runs/${run.id}/activities`,
      events: `/api/runs/${run.id}/events`,
    },
  };
  await tx.insert(agentDispatches).values({
    tenantId: run.tenantId,
    agentId: run.agentId,
    runId: run.id,
    reason: cause.reason,
    payload,
  });
  await tx.execute(sql`select pg_notify(${webhooksChannel}, '')`);
  return true;
}
