"use client";

import { useActionState } from "react";
import { createTask, type FormState } from "@/app/actions";
import { Field, inputClass } from "./field";

export function TaskForm({ projectId, parentId }: { projectId: string; parentId?: string }) {
  const [state, action, pending] = useActionState<FormState, FormData>(createTask.bind(null, projectId), {});
  const error = state.errors ?? {};
  const failed = Object.keys(error).length > 0 || (state.message && !state.message.startsWith("Created"));
  return (
    <form
      action={action}
      className="grid gap-3 rounded border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900"
    >
      <h2 className="font-semibold">{parentId ? "New subtask" : "New task"}</h2>
      {parentId ? <input type="hidden" name="parentId" value={parentId} /> : null}
      <Field label="Title" name="title" error={error.title}>
        <input id="title" name="title" maxLength={500} className={inputClass} aria-invalid={!!error.title} />
      </Field>
      <Field label="Description" name="description" error={error.description}>
        <textarea id="description" name="description" rows={2} className={inputClass} />
      </Field>
      <div className="grid grid-cols-2 gap-3">
        <Field label="Priority" name="priority" error={error.priority}>
          <select id="priority" name="priority" defaultValue="medium" className={inputClass}>
            <option value="low">Low</option>
            <option value="medium">Medium</option>
            <option value="high">High</option>
            <option value="critical">Critical</option>
          </select>
        </Field>
        <Field label="Due" name="dueAt" error={error.dueAt}>
          <input id="dueAt" name="dueAt" type="datetime-local" className={inputClass} />
        </Field>
      </div>
      <Field label="Tags (comma-separated)" name="tags" error={error.tags}>
        <input id="tags" name="tags" className={inputClass} aria-invalid={!!error.tags} />
      </Field>
      {state.message ? (
        <p
          role={failed ? "alert" : "status"}
          className={
            failed ? "text-sm text-red-700 dark:text-red-400" : "text-sm text-green-700 dark:text-green-400"
          }
        >
          {state.message}
        </p>
      ) : null}
      <button
        type="submit"
        disabled={pending}
        className="justify-self-start rounded bg-indigo-600 px-4 py-1.5 text-sm font-medium text-white disabled:opacity-60"
      >
        {pending ? "Creating…" : parentId ? "Create subtask" : "Create task"}
      </button>
    </form>
  );
}
