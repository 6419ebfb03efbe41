import type { ReactNode } from "react";

// Placeholders in a light grey, so an example ("e.g. claude-code") never reads as a value already filled in.
export const inputClass =
  "mt-1 block w-full rounded border border-slate-300 bg-white px-2 py-1.5 text-sm placeholder:text-slate-400 dark:border-slate-700 dark:bg-slate-900 dark:placeholder:text-slate-500";

/**
 * A labelled form field with the API's error for it, announced to screen readers. `required` says so beside the
 * label (the input carries `required` itself); `hint` is a line of help under the input (its id is
 * `<name>-hint`, for the input's aria-describedby).
 */
export function Field({
  label,
  name,
  error,
  required,
  hint,
  children,
}: {
  label: string;
  name: string;
  error?: string | undefined;
  required?: boolean;
  hint?: string;
  children: ReactNode;
}) {
  return (
    <div>
      <label htmlFor={name} className="block text-sm font-medium">
        {label}
        {required ? <span className="ml-1 text-xs font-normal text-slate-500">(required)</span> : null}
      </label>
      {children}
      {hint ? (
        <p id={`${name}-hint`} className="mt-1 text-xs text-slate-500">
          {hint}
        </p>
      ) : null}
      {error ? (
        <p id={`${name}-error`} role="alert" className="mt-1 text-sm text-red-700 dark:text-red-400">
          {error}
        </p>
      ) : null}
    </div>
  );
}
