"use client";

import type { ElicitationChoice } from "@taskflow/contracts";
import { useActionState } from "react";
import type { FormState } from "@/app/actions";
import { answerQuestion } from "@/app/run-actions";
import { Field, inputClass } from "./field";
import { buttonClass, FormMessage, secondaryButtonClass } from "./form-message";

/**
 * The answer to an agent's question: each choice a button (one click answers), checkboxes and a button when
 * several may be picked, a text box for a free-text question (and an optional note beside choices).
 */
export function RunAnswerForm({
  runId,
  questionId,
  taskId,
  choices,
  multiple,
}: {
  runId: string;
  questionId: string;
  taskId: string;
  choices: ElicitationChoice[] | null;
  multiple: boolean;
}) {
  const [state, action, pending] = useActionState<FormState, FormData>(
    answerQuestion.bind(null, runId, questionId, taskId),
    {},
  );
  const noteId = `answer-${questionId}`;
  return (
    <form action={action} className="mt-2 grid gap-2" aria-label="Answer the agent">
      {choices && !multiple ? (
        <div className="flex flex-wrap gap-2">
          {choices.map((choice) => (
            <button
              key={choice.value}
              type="submit"
              name="selected"
              value={choice.value}
              disabled={pending}
              className={secondaryButtonClass}
            >
              {choice.label}
            </button>
          ))}
        </div>
      ) : null}
      {choices && multiple ? (
        <fieldset className="grid gap-1">
          <legend className="text-sm">Pick any that apply</legend>
          {choices.map((choice) => (
            <label key={choice.value} className="flex items-center gap-2 text-sm">
              <input type="checkbox" name="selected" value={choice.value} />
              {choice.label}
            </label>
          ))}
        </fieldset>
      ) : null}
      <Field label={choices ? "Note (optional)" : "Your answer"} name={noteId} error={state.errors?.body}>
        <textarea id={noteId} name="body" rows={2} required={!choices} className={inputClass} />
      </Field>
      {!choices || multiple ? (
        <button type="submit" disabled={pending} className={buttonClass}>
          {pending ? "Sending…" : "Send answer"}
        </button>
      ) : null}
      <FormMessage state={{ ...state, message: state.errors?.selected ?? state.message }} />
    </form>
  );
}
