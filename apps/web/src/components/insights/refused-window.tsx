/** Says which part of the window in the address the API refused, and that the default window is shown. */
export function RefusedWindow({ refused }: { refused: string | null }) {
  if (!refused) return null;
  return (
    <p
      role="alert"
      className="rounded border border-amber-300 bg-amber-50 p-3 text-sm dark:border-amber-800 dark:bg-amber-950"
    >
      These days cannot be shown ({refused}), so the last 30 days are.
    </p>
  );
}
