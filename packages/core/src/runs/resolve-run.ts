import type { Actor } from "../actor.ts";
import type { TaskflowDb } from "../db/database.ts";
import { forbidden, invalidInput } from "../errors.ts";
import { authorizeTask } from "../tasks/authorize-task.ts";
import { openRun } from "./open-run.ts";

/**
 * The run an agent means: the one it names, or its open run on the task it names, opened now (`work`) when it
 * has none and may work on the task. Lets an agent report on a task it just claimed without first looking up
 * the run.
 */
export async function resolveAgentRun(
  db: TaskflowDb,
  actor: Actor,
  ref: { runId?: string | undefined; taskId?: string | undefined },
): Promise<string> {
  if (ref.runId) return ref.runId;
  if (actor.type !== "agent") throw forbidden("only agents work in runs of their own: name the run (runId)");
  const { taskId } = ref;
  if (!taskId) throw invalidInput("runId", "give the run (runId) or the task you work on (taskId)");
  return db.transaction(async (tx) => {
    const { task } = await authorizeTask(tx, actor, taskId, "task.work", { forUpdate: true });
    const { run } = await openRun(tx, actor, task, actor.workerId, "work");
    return run.id;
  });
}
