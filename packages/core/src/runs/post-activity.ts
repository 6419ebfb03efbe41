import type {
  ActivityCreate,
  AgentActivityCreate,
  AgentRun,
  PromptInput,
  RunActivity,
} from "@taskflow/contracts";
import { and, eq, notInArray } from "drizzle-orm";
import type { Actor } from "../actor.ts";
import { acknowledgeTaskStop, holdsStoppedClaim, stopWaitsOnTask } from "../claims/acknowledge-stop.ts";
import { holdsLiveClaim } from "../claims/lease.ts";
import { renewLeaseOnProgress } from "../claims/renew-lease.ts";
import { setTaskStop } from "../claims/request-stop.ts";
import type { TaskflowDb, TaskflowTx } from "../db/database.ts";
import { projectMembers } from "../db/schema/projects.ts";
import { agentRuns } from "../db/schema/runs.ts";
import { workers } from "../db/schema/workers.ts";
import { queueDispatch } from "../dispatch/queue-dispatch.ts";
import { DomainError, invalidInput, isUniqueViolation } from "../errors.ts";
import { type ActivityFields, appendActivity } from "./append-activity.ts";
import { authorizeAgentActivity, authorizeRunPrompt, type RunAccess } from "./authorize-run.ts";
import { assertPromptAnswers } from "./prompt-answers.ts";
import { notifyActivity, notifyRunStopAcknowledged } from "./run-notifications.ts";
import { endedStates } from "./run-state.ts";
import { loadRun, toActivity } from "./select-runs.ts";
import { appendStopPrompt, pendingStopPrompt } from "./stop-signals.ts";

export interface PostedActivity {
  run: AgentRun;
  activity: RunActivity;
}

/**
 * Adds an activity to a run: a person's prompt (postPrompt), or the run's agent's thought, action, response,
 * question or error (postAgentActivity). The one function REST `POST /api/runs/{id}/activities`, the MCP tools
 * and the dashboard's run view go through.
 */
export async function postActivity(
  db: TaskflowDb,
  actor: Actor,
  runId: string,
  input: ActivityCreate,
  now: Date = new Date(),
): Promise<PostedActivity> {
  const posted = await db.transaction(async (tx) => {
    try {
      return input.type === "prompt"
        ? await postPrompt(tx, actor, runId, input, now)
        : await postAgentActivity(tx, actor, runId, input, now);
    } catch (error) {
      // Two answers to one question at once: the index lets the first commit, the second is told.
      if (isUniqueViolation(error, "run_activities_answer_uq")) {
        throw new DomainError("conflict", "this question was already answered");
      }
      throw error;
    }
  });
  return posted;
}

/**
 * A person tells the run's agent something, answers its question, or asks it to stop (authorizeRunPrompt
 * decides). The run becomes `pending` (something for the agent to take up), an ended run opens again, and the
 * agent's endpoint gets a dispatch. A stop also sets the task's stop request when the agent holds the task, so
 * its heartbeat says stop and acknowledge-stop keeps working as before runs.
 */
async function postPrompt(
  tx: TaskflowTx,
  actor: Actor,
  runId: string,
  input: PromptInput,
  now: Date,
): Promise<PostedActivity> {
  const { run, task } = await authorizeRunPrompt(tx, actor, runId, { lockTask: true });
  const answer = await assertPromptAnswers(tx, run, input);
  if (endedStates.has(run.state)) {
    if (input.signal === "stop")
      throw new DomainError("conflict", `the run is ${run.state}: there is nothing to stop`);
    await assertNoNewerRun(tx, run.id, run.taskId, run.agentId);
  }
  if (input.signal === "stop") {
    const stoppedTask =
      holdsLiveClaim(task, { workerId: run.agentId }, now) && !stopWaitsOnTask(task)
        ? await setTaskStop(tx, actor, task, input.body || undefined, now)
        : task;
    const appended = await appendStopPrompt(tx, actor, run, stoppedTask, input.body || undefined, now);
    return { run: await loadRun(tx, actor.tenantId, run.id), activity: toActivity(appended.activity) };
  }
  const appended = await appendActivity(
    tx,
    actor,
    run,
    "prompt",
    { body: input.body ?? "", answersId: answer?.elicitationId, selected: answer?.selected },
    now,
  );
  await queueDispatch(tx, actor, appended.run, task, { reason: "prompted", prompt: appended.activity });
  return { run: await loadRun(tx, actor.tenantId, run.id), activity: toActivity(appended.activity) };
}

/** An ended run opens again on a prompt, unless the agent has opened a newer one on the task meanwhile. */
async function assertNoNewerRun(
  tx: TaskflowTx,
  runId: string,
  taskId: string,
  agentId: string,
): Promise<void> {
  const [open] = await tx
    .select({ id: agentRuns.id })
    .from(agentRuns)
    .where(
      and(
        eq(agentRuns.taskId, taskId),
        eq(agentRuns.agentId, agentId),
        notInArray(agentRuns.state, ["completed", "stopped"]),
      ),
    );
  if (open && open.id !== runId) {
    throw new DomainError("conflict", "the agent has a newer run on this task: prompt that one", {
      details: { runId: open.id },
    });
  }
}

/**
 * The run's agent reports (authorizeAgentActivity decides). An ended run takes nothing more from it. A question
 * names a person of the project, or none (the task's reviewers are asked); a response with the stop signal
 * acknowledges a stop that waits, and ends the claim when the agent holds the task. Work on a held task renews
 * its lease, as any progress report does.
 */
async function postAgentActivity(
  tx: TaskflowTx,
  actor: Actor,
  runId: string,
  input: AgentActivityCreate,
  now: Date,
): Promise<PostedActivity> {
  const stopping = input.type === "response" && input.signal === "stop";
  const access = await authorizeAgentActivity(tx, actor, runId, { lockTask: stopping });
  const { run, task } = access;
  if (endedStates.has(run.state)) {
    throw new DomainError(
      "conflict",
      `this run is ${run.state}; a person's prompt opens it again, or claim the task to start a new run`,
    );
  }
  const fields = await activityFields(tx, access, input);
  if (stopping) {
    const prompt = await pendingStopPrompt(tx, run.id);
    if (!prompt) throw new DomainError("conflict", "nobody asked you to stop this run; carry on");
    if (holdsStoppedClaim(task, actor, now)) await acknowledgeTaskStop(tx, actor, task, input.body, now);
    else await notifyRunStopAcknowledged(tx, actor, run, task, prompt.authorId, input.body);
  } else if (holdsLiveClaim(task, actor, now)) {
    await renewLeaseOnProgress(tx, actor, task, now);
  }
  const appended = await appendActivity(tx, actor, run, input.type, fields, now);
  await notifyActivity(tx, actor, appended.run, task, appended.activity);
  return { run: await loadRun(tx, actor.tenantId, run.id), activity: toActivity(appended.activity) };
}

/** The columns of an agent's activity, after the checks the schema cannot make (who is asked). */
async function activityFields(
  tx: TaskflowTx,
  { project }: RunAccess,
  input: AgentActivityCreate,
): Promise<ActivityFields> {
  switch (input.type) {
    case "thought":
      return { body: input.body, ephemeral: input.ephemeral };
    case "action":
      return { body: input.body, tool: input.tool, parameters: input.parameters, result: input.result };
    case "response":
      return { body: input.body, signal: input.signal ?? null };
    case "error":
      return { body: input.body };
    case "elicitation": {
      if (input.multiple && !input.choices) {
        throw invalidInput("body.multiple", "only a question with choices can take several");
      }
      if (input.askedOfId) {
        const [person] = await tx
          .select({ id: workers.id })
          .from(projectMembers)
          .innerJoin(workers, eq(workers.id, projectMembers.workerId))
          .where(
            and(
              eq(projectMembers.projectId, project.id),
              eq(projectMembers.workerId, input.askedOfId),
              eq(workers.kind, "human"),
            ),
          );
        if (!person) throw invalidInput("body.askedOfId", "not a person of this project");
      }
      return {
        body: input.body,
        choices: input.choices,
        multiple: input.multiple,
        askedOfId: input.askedOfId,
      };
    }
  }
}
