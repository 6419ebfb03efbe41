import { and, eq } from "drizzle-orm";
import type { Actor } from "../actor.ts";
import type { ProjectPermission } from "../authorization/permissions.ts";
import type { ProjectRow } from "../authorization/project-access.ts";
import type { TaskflowExecutor } from "../db/database.ts";
import { agentRuns } from "../db/schema/runs.ts";
import { DomainError, forbidden, notFound } from "../errors.ts";
import { authorizeTask, type TaskRow } from "../tasks/authorize-task.ts";
import type { RunRow } from "./select-runs.ts";

export interface RunAccess {
  run: RunRow;
  task: TaskRow;
  project: ProjectRow;
}

/**
 * Loads a run of the caller's tenant and checks a permission on its task, as authorizeTask does: a run the
 * caller cannot read (another tenant's, a project they are not in) is simply not found. `lockTask` locks the
 * task row first (a stop changes the task), then the run row: always in that order, as a claim does.
 */
export async function authorizeRun(
  tx: TaskflowExecutor,
  actor: Actor,
  runId: string,
  permission: ProjectPermission,
  options: { lockRun?: boolean; lockTask?: boolean } = {},
): Promise<RunAccess> {
  // One read of the run, locked at once unless the task must be locked first (then it is read again after).
  const lockNow = Boolean(options.lockRun) && !options.lockTask;
  const query = tx
    .select()
    .from(agentRuns)
    .where(and(eq(agentRuns.id, runId), eq(agentRuns.tenantId, actor.tenantId)));
  const [found] = lockNow ? await query.for("update") : await query;
  if (!found) throw notFound("run");
  let access: { task: TaskRow; project: ProjectRow };
  try {
    access = await authorizeTask(tx, actor, found.taskId, permission, {
      forUpdate: options.lockTask ?? false,
    });
  } catch (error) {
    if (error instanceof DomainError && error.code === "not_found") throw notFound("run");
    throw error;
  }
  const [run] = options.lockTask ? await query.for("update") : [found];
  if (!run) throw notFound("run");
  return { run, ...access };
}

/**
 * The rule for prompting an agent (a message, an answer to its question, a stop), on its run or, for a stop, on
 * the task it holds (`POST /api/tasks/{id}/stop`): a person who may work on the task (`task.work`: a member,
 * their token's `taskflow:write`). Agents do not prompt: the run's agent posts everything else, and another
 * agent delegates (assigns a subtask) instead. Locks the task (and the run) when asked.
 */
export async function authorizePrompt(
  tx: TaskflowExecutor,
  actor: Actor,
  target: { runId: string } | { taskId: string },
  options: { lockTask?: boolean } = {},
): Promise<{ run: RunRow | null; task: TaskRow; project: ProjectRow }> {
  const access =
    "runId" in target
      ? await authorizeRun(tx, actor, target.runId, "task.work", { lockRun: true, ...options })
      : {
          run: null,
          ...(await authorizeTask(tx, actor, target.taskId, "task.work", {
            forUpdate: options.lockTask ?? false,
          })),
        };
  if (actor.type !== "human") {
    throw forbidden(
      "prompts come from people; an agent posts thoughts, actions, responses, questions and errors",
    );
  }
  return access;
}

/** authorizePrompt on a run. */
export async function authorizeRunPrompt(
  tx: TaskflowExecutor,
  actor: Actor,
  runId: string,
  options: { lockTask?: boolean } = {},
): Promise<RunAccess> {
  const { run, task, project } = await authorizePrompt(tx, actor, { runId }, options);
  if (!run) throw notFound("run");
  return { run, task, project };
}

/**
 * The rule for the rest of a run (thought, action, response, elicitation, error): only the run's own agent, and
 * only while it may work on the task (`task.work`: a member, its key's `write_tasks`).
 */
export async function authorizeAgentActivity(
  tx: TaskflowExecutor,
  actor: Actor,
  runId: string,
  options: { lockTask?: boolean } = {},
): Promise<RunAccess> {
  const access = await authorizeRun(tx, actor, runId, "task.work", { lockRun: true, ...options });
  if (actor.workerId !== access.run.agentId) {
    throw forbidden(
      actor.type === "human"
        ? "a person posts prompts only; thoughts, actions, responses, questions and errors are the run's agent's"
        : "this run is another agent's: post to your own run",
    );
  }
  return access;
}
