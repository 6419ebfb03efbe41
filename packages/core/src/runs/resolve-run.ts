import { and, desc, eq } from "drizzle-orm";
import type { Actor } from "../actor.ts";
import type { TaskflowDb } from "../db/database.ts";
import { agentRuns } from "../db/schema/runs.ts";
import { forbidden, invalidInput, notFound } from "../errors.ts";
import { authorizeTask } from "../tasks/authorize-task.ts";
import { openRun } from "./open-run.ts";

export interface RunReference {
  runId?: string | undefined;
  taskId?: string | undefined;
}

/**
 * The run an agent means: the one it names, or its run on the task it names. To report (`open`), that is its
 * open run on the task, opened now (`work`) when it has none and may work on the task: an agent reports on a task
 * it just claimed without first looking up the run. To read, it is its latest run on the task.
 */
export async function resolveAgentRun(
  db: TaskflowDb,
  actor: Actor,
  ref: RunReference,
  use: "open" | "read" = "open",
): Promise<string> {
  if (ref.runId) return ref.runId;
  const { taskId } = ref;
  if (!taskId) throw invalidInput("runId", "give the run (runId) or the task you work on (taskId)");
  if (actor.type !== "agent") throw forbidden("only agents work in runs of their own: name the run (runId)");
  if (use === "read") {
    await authorizeTask(db, actor, taskId, "project.read");
    const [latest] = await db
      .select({ id: agentRuns.id })
      .from(agentRuns)
      .where(and(eq(agentRuns.taskId, taskId), eq(agentRuns.agentId, actor.workerId)))
      .orderBy(desc(agentRuns.createdAt))
      .limit(1);
    if (!latest) throw notFound("run of yours on this task");
    return latest.id;
  }
  return db.transaction(async (tx) => {
    const { task } = await authorizeTask(tx, actor, taskId, "task.work", { forUpdate: true });
    const { run } = await openRun(tx, actor, task, actor.workerId, "work");
    return run.id;
  });
}
