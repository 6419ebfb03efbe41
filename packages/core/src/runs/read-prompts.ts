import type { AgentRun, RunActivity } from "@taskflow/contracts";
import { and, asc, eq, gt, sql } from "drizzle-orm";
import type { Actor } from "../actor.ts";
import type { TaskflowDb, TaskflowExecutor } from "../db/database.ts";
import { agentRuns, runActivities } from "../db/schema/runs.ts";
import { forbidden } from "../errors.ts";
import { authorizeRun } from "./authorize-run.ts";
import { toActivities } from "./read-runs.ts";
import { loadRun } from "./select-runs.ts";

export interface NewPrompts {
  run: AgentRun;
  prompts: RunActivity[];
}

/** The prompts of a run after a sequence number (messages, answers, stops), oldest first, at most 100. */
export async function promptsAfter(
  db: TaskflowExecutor,
  runId: string,
  after: number,
): Promise<RunActivity[]> {
  const rows = await db
    .select()
    .from(runActivities)
    .where(
      and(eq(runActivities.runId, runId), eq(runActivities.type, "prompt"), gt(runActivities.seq, after)),
    )
    .orderBy(asc(runActivities.seq))
    .limit(100);
  return toActivities(db, rows);
}

/**
 * The run's agent reads what people told it since it last read (or after `after`): the prompts, and the run (its
 * state, whether a stop waits). What it read is marked, so the next call returns only newer prompts. Reading is
 * the agent's own: anyone else lists the run's activities.
 */
export async function readNewPrompts(
  db: TaskflowDb,
  actor: Actor,
  runId: string,
  options: { after?: number | undefined } = {},
): Promise<NewPrompts> {
  const { run } = await authorizeRun(db, actor, runId, "project.read");
  if (actor.workerId !== run.agentId) {
    throw forbidden("only the run's agent reads its prompts this way; list the run's activities instead");
  }
  const prompts = await promptsAfter(db, run.id, options.after ?? run.agentReadSeq);
  await markPromptsRead(db, run.id, prompts);
  return { run: await loadRun(db, actor.tenantId, run.id), prompts };
}

/** Remembers the newest prompt the agent was given (never going back). */
export async function markPromptsRead(
  db: TaskflowExecutor,
  runId: string,
  prompts: readonly Pick<RunActivity, "seq">[],
): Promise<void> {
  const newest = Math.max(0, ...prompts.map((prompt) => prompt.seq));
  if (newest === 0) return;
  await db
    .update(agentRuns)
    .set({ agentReadSeq: sql`greatest(${agentRuns.agentReadSeq}, ${newest})` })
    .where(eq(agentRuns.id, runId));
}
