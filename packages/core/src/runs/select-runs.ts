import type { AgentRun, RunActivity } from "@taskflow/contracts";
import { and, eq, sql } from "drizzle-orm";
import type { TaskflowExecutor } from "../db/database.ts";
import { agentRuns, runActivities } from "../db/schema/runs.ts";
import { tasks } from "../db/schema/tasks.ts";
import { notFound } from "../errors.ts";

export type RunRow = typeof agentRuns.$inferSelect;
export type ActivityRow = typeof runActivities.$inferSelect;

/**
 * Whether a person's stop is waiting for the agent: a stop prompt after the last acknowledgement (a response with
 * the stop signal). Read through the (run_id, seq) index.
 */
const stopRequested = sql<boolean>`exists (
  select 1 from ${runActivities} p
  where p.run_id = ${agentRuns.id} and p.type = 'prompt' and p.signal = 'stop'
    and p.seq > coalesce((
      select max(r.seq) from ${runActivities} r
      where r.run_id = ${agentRuns.id} and r.type = 'response' and r.signal = 'stop'
    ), 0)
)`;

/** Runs with their task's title and whether a stop waits; add `where`, `orderBy`, `limit`. */
export function selectRuns(db: TaskflowExecutor) {
  return db
    .select({ run: agentRuns, taskTitle: tasks.title, stopRequested })
    .from(agentRuns)
    .innerJoin(tasks, eq(tasks.id, agentRuns.taskId))
    .$dynamic();
}

export function toRun({
  run,
  taskTitle,
  stopRequested: stopping,
}: {
  run: RunRow;
  taskTitle: string;
  stopRequested: boolean;
}): AgentRun {
  return {
    id: run.id,
    projectId: run.projectId,
    taskId: run.taskId,
    taskTitle,
    agentId: run.agentId,
    state: run.state,
    origin: run.origin,
    openedById: run.openedById,
    lastSeq: run.lastSeq,
    lastActivityAt: run.lastActivityAt.toISOString(),
    stopRequested: Boolean(stopping),
    createdAt: run.createdAt.toISOString(),
    updatedAt: run.updatedAt.toISOString(),
  };
}

/** A run of the tenant as the API shows it (the caller's right to see it is decided before). */
export async function loadRun(db: TaskflowExecutor, tenantId: string, runId: string): Promise<AgentRun> {
  const [row] = await selectRuns(db).where(and(eq(agentRuns.id, runId), eq(agentRuns.tenantId, tenantId)));
  if (!row) throw notFound("run");
  return toRun(row);
}

/**
 * An activity as the API shows it. `answeredById`: the prompt that answered an elicitation, when the caller
 * looked it up (listActivities does, for the page it returns).
 */
export function toActivity(row: ActivityRow, answeredById: string | null = null): RunActivity {
  return {
    id: row.id,
    runId: row.runId,
    seq: row.seq,
    type: row.type,
    authorId: row.authorId,
    body: row.body,
    ephemeral: row.ephemeral,
    signal: row.signal,
    action:
      row.type === "action"
        ? { tool: row.tool ?? "", parameters: row.parameters ?? null, result: row.result }
        : null,
    elicitation:
      row.type === "elicitation"
        ? {
            choices: row.choices ?? null,
            multiple: row.multiple ?? false,
            askedOfId: row.askedOfId,
            answeredById,
          }
        : null,
    answer: row.answersId ? { elicitationId: row.answersId, selected: row.selected ?? null } : null,
    createdAt: row.createdAt.toISOString(),
  };
}
