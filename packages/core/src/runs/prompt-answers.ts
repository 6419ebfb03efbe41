import type { PromptInput } from "@taskflow/contracts";
import { and, eq } from "drizzle-orm";
import type { TaskflowTx } from "../db/database.ts";
import { runActivities } from "../db/schema/runs.ts";
import { DomainError, invalidInput } from "../errors.ts";
import type { RunRow } from "./select-runs.ts";

/**
 * What a prompt must hold, beyond its schema: words, unless it stops the run or picks choices; and an answer
 * that fits its question (a question of this run, not answered yet; choices among those offered, one unless
 * several may be picked; words for a free-text question). Returns the answer to record, if any.
 */
export async function assertPromptAnswers(
  tx: TaskflowTx,
  run: RunRow,
  input: PromptInput,
): Promise<{ elicitationId: string; selected: string[] | undefined } | undefined> {
  const hasWords = (input.body ?? "").trim().length > 0;
  if (!input.answers) {
    if (input.selected)
      throw invalidInput("body.selected", "choices are picked only when answering (give `answers`)");
    if (!hasWords && input.signal !== "stop") throw invalidInput("body.body", "must not be blank");
    return undefined;
  }
  if (input.signal === "stop") throw invalidInput("body.signal", "a stop does not answer a question");
  const [question] = await tx
    .select()
    .from(runActivities)
    .where(
      and(
        eq(runActivities.id, input.answers),
        eq(runActivities.runId, run.id),
        eq(runActivities.type, "elicitation"),
      ),
    );
  if (!question) throw invalidInput("body.answers", "not a question of this run");
  const [answered] = await tx
    .select({ id: runActivities.id })
    .from(runActivities)
    .where(eq(runActivities.answersId, question.id));
  if (answered) {
    throw new DomainError("conflict", "this question was already answered", {
      details: { answeredById: answered.id },
    });
  }
  const choices = question.choices;
  if (!choices) {
    if (input.selected) throw invalidInput("body.selected", "this question takes a free-text answer");
    if (!hasWords) throw invalidInput("body.body", "answer the question in words");
    return { elicitationId: question.id, selected: undefined };
  }
  const offered = new Set(choices.map((choice) => choice.value));
  const selected = input.selected ?? [];
  if (selected.length === 0) {
    throw invalidInput(
      "body.selected",
      `pick ${question.multiple ? "one or more" : "one"} of: ${[...offered].join(", ")}`,
    );
  }
  if (new Set(selected).size !== selected.length)
    throw invalidInput("body.selected", "each choice at most once");
  const unknown = selected.filter((value) => !offered.has(value));
  if (unknown.length > 0) {
    throw invalidInput(
      "body.selected",
      `not offered: ${unknown.join(", ")} (offered: ${[...offered].join(", ")})`,
    );
  }
  if (!question.multiple && selected.length > 1) throw invalidInput("body.selected", "pick exactly one");
  return { elicitationId: question.id, selected };
}
