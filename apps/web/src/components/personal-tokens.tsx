"use client";

import type { PersonalToken } from "@taskflow/contracts";
import { useRouter } from "next/navigation";
import { useActionState, useState, useTransition } from "react";
import {
  createPersonalToken,
  type MemberResult,
  revokePersonalToken,
  type TokenFormState,
} from "@/app/actions";
import { CopyButton } from "./copy-button";
import { Field, inputClass } from "./field";
import { buttonClass, panelClass, secondaryButtonClass } from "./form-message";

const scopeChoices = [
  { scope: "taskflow:read", label: "Read", hint: "see projects, tasks, comments, people, the audit trail" },
  {
    scope: "taskflow:write",
    label: "Write",
    hint: "create projects and tasks, work on them, comment, review",
  },
  {
    scope: "taskflow:manage",
    label: "Manage",
    hint: "project settings, members, webhooks and deletion (in projects where your role allows it)",
  },
] as const;

/** Makes a token and shows it this once. */
export function PersonalTokenForm({ apiUrl }: { apiUrl: string }) {
  const [state, action, pending] = useActionState<TokenFormState, FormData>(createPersonalToken, {});
  const error = state.errors ?? {};
  return (
    <div className="grid gap-4">
      {state.token ? (
        <section
          aria-labelledby="new-token"
          className="rounded border border-amber-400 bg-amber-50 p-4 dark:border-amber-700 dark:bg-amber-950"
        >
          <h2 id="new-token" className="font-semibold">
            Your token “{state.name}”
          </h2>
          <p className="mt-1 text-sm">Copy it now: it is shown only this once, and only its hash is kept.</p>
          <div className="mt-2 flex flex-wrap items-center gap-2">
            <code
              data-testid="personal-token"
              className="break-all rounded bg-white px-2 py-1 text-sm dark:bg-slate-900"
            >
              {state.token}
            </code>
            <CopyButton value={state.token} label="Copy token" />
          </div>
          <pre className="mt-2 overflow-x-auto rounded bg-white p-2 text-xs dark:bg-slate-900">
            {`curl -H "Authorization: Bearer ${state.token}" ${apiUrl}/api/projects`}
          </pre>
        </section>
      ) : null}
      <form action={action} className={`grid gap-3 ${panelClass}`}>
        <h2 className="font-semibold">New token</h2>
        <Field label="Name (what it is for)" name="name" error={error.name} required>
          <input
            id="name"
            name="name"
            required
            placeholder="e.g. nightly report"
            className={inputClass}
            aria-invalid={!!error.name}
          />
        </Field>
        <fieldset aria-describedby={error.scopes ? "scopes-error" : undefined}>
          <legend className="text-sm font-medium">Scopes</legend>
          {scopeChoices.map(({ scope, label, hint }) => (
            <label key={scope} className="mt-1 flex items-start gap-2 text-sm">
              <input type="checkbox" name="scopes" value={scope} defaultChecked={scope === "taskflow:read"} />
              <span>
                {label} <code className="text-xs">{scope}</code>
                <span className="block text-xs text-slate-500">{hint}</span>
              </span>
            </label>
          ))}
          {error.scopes ? (
            <p id="scopes-error" role="alert" className="mt-1 text-sm text-red-700 dark:text-red-400">
              {error.scopes}
            </p>
          ) : null}
        </fieldset>
        <Field label="Expires in (days, 1–365)" name="expiresInDays" error={error.expiresInDays}>
          <input
            id="expiresInDays"
            name="expiresInDays"
            type="number"
            min={1}
            max={365}
            defaultValue={30}
            className={inputClass}
          />
        </Field>
        {state.ok === false && state.message ? (
          <p role="alert" className="text-sm text-red-700 dark:text-red-400">
            {state.message}
          </p>
        ) : null}
        <button type="submit" disabled={pending} className={buttonClass}>
          {pending ? "Creating…" : "Create token"}
        </button>
      </form>
    </div>
  );
}

export function RevokePersonalToken({ token }: { token: PersonalToken }) {
  const router = useRouter();
  const [result, setResult] = useState<MemberResult>();
  const [pending, start] = useTransition();
  return (
    <>
      <button
        type="button"
        disabled={pending}
        onClick={() => {
          if (!window.confirm(`Revoke “${token.name}”? Anything using it is refused at once.`)) return;
          start(async () => {
            const outcome = await revokePersonalToken(token.id);
            setResult(outcome);
            if (outcome.ok) router.refresh();
          });
        }}
        className={secondaryButtonClass}
      >
        Revoke<span className="sr-only"> the token {token.name}</span>
      </button>
      {result && !result.ok ? (
        <span role="alert" className="text-sm text-red-700 dark:text-red-400">
          {result.message}
        </span>
      ) : null}
    </>
  );
}
