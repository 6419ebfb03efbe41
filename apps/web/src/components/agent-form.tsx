"use client";

import { useActionState } from "react";
import { type AgentFormState, registerAgent } from "@/app/actions";
import { CopyButton } from "./copy-button";
import { Field, inputClass } from "./field";

export function AgentForm() {
  const [state, action, pending] = useActionState<AgentFormState, FormData>(registerAgent, {});
  const error = state.errors ?? {};
  return (
    <div className="grid gap-4">
      {state.key ? (
        <section
          aria-labelledby="new-key"
          className="rounded border border-amber-400 bg-amber-50 p-4 dark:border-amber-700 dark:bg-amber-950"
        >
          <h2 id="new-key" className="font-semibold">
            API key of {state.handle}
          </h2>
          <p className="mt-1 text-sm">Copy it now: it is shown only this once, and only its hash is kept.</p>
          <div className="mt-2 flex flex-wrap items-center gap-2">
            <code
              data-testid="agent-key"
              className="break-all rounded bg-white px-2 py-1 text-sm dark:bg-slate-900"
            >
              {state.key}
            </code>
            <CopyButton value={state.key} label="Copy key" />
          </div>
        </section>
      ) : null}
      <form
        action={action}
        className="grid gap-3 rounded border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900"
      >
        <h2 className="font-semibold">Register an agent</h2>
        <Field label="Handle" name="handle" error={error.handle}>
          <input
            id="handle"
            name="handle"
            placeholder="claude-code"
            className={inputClass}
            aria-invalid={!!error.handle}
          />
        </Field>
        <Field label="Name" name="name" error={error.name}>
          <input
            id="name"
            name="name"
            placeholder="Claude Code"
            className={inputClass}
            aria-invalid={!!error.name}
          />
        </Field>
        <Field label="Agent type" name="agentType" error={error.agentType}>
          <input id="agentType" name="agentType" placeholder="claude-code" className={inputClass} />
        </Field>
        <Field label="Capabilities (comma-separated)" name="capabilities" error={error.capabilities}>
          <input id="capabilities" name="capabilities" placeholder="code, review" className={inputClass} />
        </Field>
        {state.message ? (
          <p role="alert" className="text-sm text-red-700 dark:text-red-400">
            {state.message}
          </p>
        ) : null}
        <button
          type="submit"
          disabled={pending}
          className="justify-self-start rounded bg-indigo-600 px-4 py-1.5 text-sm font-medium text-white disabled:opacity-60"
        >
          {pending ? "Registering…" : "Register agent"}
        </button>
      </form>
    </div>
  );
}
