import type { AgentRun, AuditEntry, ElicitationInput, RunActivity } from "@taskflow/contracts";
import { and, eq } from "drizzle-orm";
import type { Actor } from "../actor.ts";
import type { TaskflowDb } from "../db/database.ts";
import { runActivities } from "../db/schema/runs.ts";
import { forbidden, invalidInput } from "../errors.ts";
import { authorizeRun } from "./authorize-run.ts";
import { postActivity } from "./post-activity.ts";
import { markPromptsRead } from "./read-prompts.ts";
import { toActivities } from "./read-runs.ts";
import { loadRun } from "./select-runs.ts";

// Asking and waiting, in two parts, so that a transport can offer it however its protocol allows: a tool that
// asks, then waits a bounded time and says "call again" (MCP 2025-11-25, stateless), or a result that asks the
// client for input and comes back with it (MCP 2026-07-28's `input_required`, issue 18) — both record the question
// with askQuestion and read the answer with readAnswer (awaitAnswer: readAnswer until it comes or time runs out).

/** Records an agent's question on its run (an elicitation: the run awaits input, people are told). */
export async function askQuestion(
  db: TaskflowDb,
  actor: Actor,
  runId: string,
  question: Omit<ElicitationInput, "type">,
): Promise<{ run: AgentRun; question: RunActivity }> {
  const { run, activity } = await postActivity(db, actor, runId, { type: "elicitation", ...question });
  return { run, question: activity };
}

export interface AnswerState {
  run: AgentRun;
  question: RunActivity;
  /** The prompt that answered it; null while nobody has. */
  answer: RunActivity | null;
}

/**
 * Where a question of the caller's run stands: its answer, once a person gave it (then marked read, so
 * read_prompts does not hand it out again). Only the run's agent reads it this way.
 */
export async function readAnswer(
  db: TaskflowDb,
  actor: Actor,
  runId: string,
  questionId: string,
  field = "questionId",
): Promise<AnswerState> {
  const { run } = await authorizeRun(db, actor, runId, "project.read");
  if (actor.workerId !== run.agentId)
    throw forbidden("only the run's agent waits for answers to its questions");
  const [question] = await db
    .select()
    .from(runActivities)
    .where(
      and(
        eq(runActivities.id, questionId),
        eq(runActivities.runId, run.id),
        eq(runActivities.type, "elicitation"),
      ),
    );
  if (!question) throw invalidInput(field, "not a question of this run");
  const [answer] = await db.select().from(runActivities).where(eq(runActivities.answersId, question.id));
  const [shownQuestion, shownAnswer] = await toActivities(db, answer ? [question, answer] : [question]);
  if (shownAnswer) await markPromptsRead(db, run.id, [shownAnswer]);
  return {
    run: await loadRun(db, actor.tenantId, run.id),
    question: shownQuestion as RunActivity,
    answer: shownAnswer ?? null,
  };
}

/**
 * Calls `listener` with each change of a project as it commits (a live event hub), and without one when the hub
 * closes, until the returned function is called.
 */
export type ProjectWatch = (projectId: string, listener: (entry?: AuditEntry) => void) => () => void;

export interface AnswerWait {
  /** How long to wait at most; the caller bounds it below its own request timeout. */
  timeoutMs: number;
  /** Changes of the run's project wake the wait at once; without it (or between them) it looks every pollMs. */
  watch?: ProjectWatch | undefined;
  pollMs?: number;
  signal?: AbortSignal | undefined;
}

/**
 * readAnswer until the answer comes, the time is up, or the caller goes: woken by the project's live events when a
 * watch is given (the LISTEN/NOTIFY fan-out), and looking again every `pollMs` in case a notification was lost.
 */
export async function awaitAnswer(
  db: TaskflowDb,
  actor: Actor,
  runId: string,
  questionId: string,
  wait: AnswerWait,
  field?: string,
): Promise<AnswerState> {
  const deadline = Date.now() + wait.timeoutMs;
  const pollMs = wait.pollMs ?? 2_000;
  let state = await readAnswer(db, actor, runId, questionId, field);
  if (state.answer || wait.timeoutMs <= 0) return state;
  let wake: (() => void) | undefined;
  // Only a prompt on this run can be the answer: other changes of the project do not wake the wait.
  const unwatch =
    wait.watch?.(state.run.projectId, (entry) => {
      if (
        !entry ||
        (entry.entityType === "run" && entry.entityId === runId && entry.action === "run.prompt")
      ) {
        wake?.();
      }
    }) ?? (() => {});
  try {
    while (!state.answer && Date.now() < deadline && !wait.signal?.aborted) {
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          wait.signal?.removeEventListener("abort", done);
          resolve();
        };
        const timer = setTimeout(done, Math.min(pollMs, Math.max(0, deadline - Date.now())));
        wake = done;
        wait.signal?.addEventListener("abort", done, { once: true });
      });
      wake = undefined;
      state = await readAnswer(db, actor, runId, questionId, field);
    }
    return state;
  } finally {
    unwatch();
  }
}
