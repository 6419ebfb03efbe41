"use client";

import { useActionState } from "react";
import type { FormState } from "@/app/actions";
import { promptRun, stopRun } from "@/app/run-actions";
import { Field, inputClass } from "./field";
import { dangerButtonClass, FormMessage, secondaryButtonClass } from "./form-message";

/** Tell the run's agent something; and Stop, with an optional reason, while the run has not ended. */
export function RunPromptBox({
  runId,
  taskId,
  canStop,
}: {
  runId: string;
  taskId: string;
  canStop: boolean;
}) {
  const [prompted, prompt, prompting] = useActionState<FormState, FormData>(
    promptRun.bind(null, runId, taskId),
    {},
  );
  const [stopped, stop, stopping] = useActionState<FormState, FormData>(
    stopRun.bind(null, runId, taskId),
    {},
  );
  const promptId = `prompt-${runId}`;
  const reasonId = `stop-reason-${runId}`;
  return (
    <div className="grid gap-3 md:grid-cols-2">
      <form action={prompt} className="grid content-start gap-2">
        <Field label="Tell the agent" name={promptId} error={prompted.errors?.body}>
          <textarea id={promptId} name="body" rows={2} required className={inputClass} />
        </Field>
        <button type="submit" disabled={prompting} className={`justify-self-start ${secondaryButtonClass}`}>
          {prompting ? "Sending…" : "Send to agent"}
        </button>
        <FormMessage state={prompted} />
      </form>
      {canStop ? (
        <form action={stop} className="grid content-start gap-2">
          <Field label="Why stop (optional)" name={reasonId} error={stopped.errors?.body}>
            <input id={reasonId} name="reason" className={inputClass} />
          </Field>
          <button type="submit" disabled={stopping} className={`justify-self-start ${dangerButtonClass}`}>
            {stopping ? "Stopping…" : "Stop"}
          </button>
          <FormMessage state={stopped} />
        </form>
      ) : null}
    </div>
  );
}
