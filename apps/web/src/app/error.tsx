"use client";

export default function ErrorPage({
  error,
  reset,
}: {
  error: Error & { digest?: string };
  reset: () => void;
}) {
  return (
    <section
      role="alert"
      className="rounded border border-red-300 bg-red-50 p-4 dark:border-red-800 dark:bg-red-950"
    >
      <h1 className="font-semibold">This page could not be shown</h1>
      <p className="mt-2 text-sm">{error.message || "The server could not answer."}</p>
      <button type="button" onClick={reset} className="mt-3 rounded border px-3 py-1 text-sm">
        Try again
      </button>
    </section>
  );
}
