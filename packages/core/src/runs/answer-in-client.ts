import { activityBodyMax, isSafeText } from "@taskflow/contracts";
import { and, eq } from "drizzle-orm";
import type { Actor } from "../actor.ts";
import type { TaskflowDb } from "../db/database.ts";
import { runActivities } from "../db/schema/runs.ts";
import { DomainError, forbidden, invalidInput, isUniqueViolation } from "../errors.ts";
import { appendActivity } from "./append-activity.ts";
import { authorizeAgentActivity } from "./authorize-run.ts";
import { type AnswerState, readAnswer } from "./await-answer.ts";
import { assertPromptAnswers } from "./prompt-answers.ts";
import { endedStates } from "./run-state.ts";

/** What the agent's own client answered: words for a free-text question, the picked values for choices. */
export type ClientReply = string | readonly string[];

export interface ClientAnswerState extends AnswerState {
  /** False when the question already had its answer (a person on TaskFlow was first): nothing was recorded. */
  recorded: boolean;
}

/**
 * The answer to an agent's question given in the agent's own client (MCP 2026-07-28: the question went back to
 * the client as an `input_required` elicitation, and the call came back with what its user answered), recorded
 * on the run as the answer, by the caller, audited as `run.prompt` like any answer.
 *
 * The rules, whatever the transport says it carries (the question's id comes back from the client and is not
 * trusted): only the run's own agent, while it may work on the task (authorizeAgentActivity: another tenant's
 * run is not found, another agent's is refused); only a question of that run; not a question put to a named
 * person (`askedOfId`: that person answers it, on TaskFlow); not on an ended run; the reply must fit the question
 * as a person's would (assertPromptAnswers: choices among those offered, words for free text). A question
 * already answered records nothing and gives back the answer it has: a person on the dashboard may answer first,
 * and a replayed reply never adds a second answer.
 */
export async function answerInClient(
  db: TaskflowDb,
  actor: Actor,
  runId: string,
  questionId: string,
  reply: ClientReply,
  field = "answer",
): Promise<ClientAnswerState> {
  let recorded = false;
  try {
    recorded = await db.transaction(async (tx) => {
      const { run } = await authorizeAgentActivity(tx, actor, runId);
      const [question] = await tx
        .select()
        .from(runActivities)
        .where(
          and(
            eq(runActivities.id, questionId),
            eq(runActivities.runId, run.id),
            eq(runActivities.type, "elicitation"),
          ),
        );
      if (!question) throw invalidInput("questionId", "not a question of this run");
      const [answered] = await tx
        .select({ id: runActivities.id })
        .from(runActivities)
        .where(eq(runActivities.answersId, question.id));
      if (answered) return false;
      if (question.askedOfId) {
        throw forbidden("this question was put to a named person: they answer it on TaskFlow");
      }
      if (endedStates.has(run.state)) {
        throw new DomainError("conflict", `this run is ${run.state}: its questions take no more answers`);
      }
      const words = typeof reply === "string" ? reply : undefined;
      if (words !== undefined && (words.length > activityBodyMax || !isSafeText(words))) {
        throw invalidInput(
          field,
          `at most ${activityBodyMax} characters, without control or bidi characters`,
        );
      }
      if (!question.choices && words === undefined) throw invalidInput(field, "answer the question in words");
      const asPrompt = question.choices
        ? {
            type: "prompt" as const,
            answers: question.id,
            selected: typeof reply === "string" ? [reply] : [...reply],
          }
        : { type: "prompt" as const, answers: question.id, body: words ?? "" };
      const answer = await assertPromptAnswers(tx, run, asPrompt).catch((error: unknown) => {
        // The checks name the REST body's fields; here the reply is one field of the client's answer.
        if (error instanceof DomainError && error.code === "invalid_input") {
          throw invalidInput(field, error.message);
        }
        throw error;
      });
      await appendActivity(tx, actor, run, "prompt", {
        body: asPrompt.body ?? "",
        answersId: answer?.elicitationId,
        selected: answer?.selected,
      });
      return true;
    });
  } catch (error) {
    // A person's answer committed between our look and our insert: theirs stands, ours is not recorded.
    if (!isUniqueViolation(error, "run_activities_answer_uq")) throw error;
  }
  // Read back as the waiting tool does, which also marks the answer read (read_prompts will not hand it out).
  return { ...(await readAnswer(db, actor, runId, questionId)), recorded };
}
