/** A form's outcome: announced politely when it worked, as an alert when it did not. */
export function FormMessage({ state }: { state: { ok?: boolean; message?: string } }) {
  if (!state.message) return null;
  const failed = state.ok === false;
  return (
    <p
      role={failed ? "alert" : "status"}
      className={
        failed ? "text-sm text-red-700 dark:text-red-400" : "text-sm text-green-700 dark:text-green-400"
      }
    >
      {state.message}
    </p>
  );
}

export const buttonClass =
  "justify-self-start rounded bg-indigo-600 px-4 py-1.5 text-sm font-medium text-white hover:bg-indigo-500 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600 disabled:opacity-60";
export const secondaryButtonClass =
  "rounded border border-slate-300 px-3 py-1 text-sm hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-indigo-600 disabled:opacity-60 dark:border-slate-600 dark:hover:bg-slate-800";
export const dangerButtonClass =
  "rounded bg-red-700 px-3 py-1.5 text-sm font-medium text-white hover:bg-red-600 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-red-700 disabled:opacity-60";
export const panelClass =
  "rounded border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900";
