"use client";

import { useActionState } from "react";
import { createProject, type FormState } from "@/app/actions";
import { Field, inputClass } from "./field";

export function ProjectForm() {
  const [state, action, pending] = useActionState<FormState, FormData>(createProject, {});
  return (
    <form
      action={action}
      className="grid gap-3 rounded border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900"
    >
      <h2 className="font-semibold">New project</h2>
      <Field label="Name" name="name" error={state.errors?.name} required>
        <input
          id="name"
          name="name"
          required
          maxLength={200}
          className={inputClass}
          aria-invalid={!!state.errors?.name}
        />
      </Field>
      <Field label="Slug (optional)" name="slug" error={state.errors?.slug}>
        <input id="slug" name="slug" className={inputClass} aria-invalid={!!state.errors?.slug} />
      </Field>
      <Field label="Description" name="description" error={state.errors?.description}>
        <textarea id="description" name="description" rows={2} className={inputClass} />
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
        {pending ? "Creating…" : "Create project"}
      </button>
    </form>
  );
}
