"use client";

import type { AgentKey } from "@taskflow/contracts";
import { useRouter } from "next/navigation";
import { useActionState, useState, useTransition } from "react";
import { type AgentFormState, type MemberResult, revokeAgentKey, rotateAgentKey } from "@/app/actions";
import { CopyButton } from "./copy-button";
import { Field, inputClass } from "./field";
import { FormMessage, secondaryButtonClass } from "./form-message";

/** Issues a new key (all others stop working) and shows it this once. */
export function RotateKey({ agentId, handle }: { agentId: string; handle: string }) {
  const [state, action, pending] = useActionState<AgentFormState, FormData>(
    rotateAgentKey.bind(null, agentId),
    {},
  );
  return (
    <div className="grid gap-3">
      {state.key ? (
        <section
          aria-labelledby="new-key"
          className="rounded border border-amber-400 bg-amber-50 p-4 dark:border-amber-700 dark:bg-amber-950"
        >
          <h3 id="new-key" className="font-semibold">
            New API key of {handle}
          </h3>
          <p className="mt-1 text-sm">
            Copy it now: it is shown only this once. Every earlier key of this agent has stopped working;
            update the agent's configuration.
          </p>
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
        onSubmit={(e) => {
          if (!window.confirm(`Issue a new key for ${handle}? Its current keys stop working at once.`))
            e.preventDefault();
        }}
        className="flex flex-wrap items-end gap-2"
      >
        <Field label="Expires in (days, 1–365)" name="expiresInDays" error={state.errors?.expiresInDays}>
          <input
            id="expiresInDays"
            name="expiresInDays"
            type="number"
            min={1}
            max={365}
            defaultValue={90}
            className={inputClass}
          />
        </Field>
        <button type="submit" disabled={pending} className={secondaryButtonClass}>
          {pending ? "Rotating…" : "Rotate key"}
        </button>
      </form>
      {state.ok === false ? <FormMessage state={state} /> : null}
    </div>
  );
}

export function RevokeKey({ agentId, agentKey }: { agentId: string; agentKey: AgentKey }) {
  const router = useRouter();
  const [result, setResult] = useState<MemberResult>();
  const [pending, start] = useTransition();
  return (
    <>
      <button
        type="button"
        disabled={pending}
        onClick={() => {
          if (
            !window.confirm(
              `Revoke the key ending in ${agentKey.lastChars}? Anything using it is refused at once.`,
            )
          )
            return;
          start(async () => {
            const outcome = await revokeAgentKey(agentId, agentKey.id);
            setResult(outcome);
            if (outcome.ok) router.refresh();
          });
        }}
        className={secondaryButtonClass}
      >
        Revoke<span className="sr-only"> the key ending in {agentKey.lastChars}</span>
      </button>
      {result && !result.ok ? (
        <span role="alert" className="text-sm text-red-700 dark:text-red-400">
          {result.message}
        </span>
      ) : null}
    </>
  );
}
