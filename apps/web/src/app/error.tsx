"use client";

export default function ErrorPage({
  error,
  reset,
}: {
  error: Error & { digest?: string };
  reset: () => void;
}) {
  // In production Next.js hides server errors' messages; the digest ties this page to the server's log line.
  return (
    <section
      role="alert"
      className="rounded border border-red-300 bg-red-50 p-4 dark:border-red-800 dark:bg-red-950"
    >
      <h1 className="font-semibold">This page could not be shown</h1>
      <p className="mt-2 text-sm">
        {error.digest
          ? "The dashboard could not get an answer from the TaskFlow API. Try again in a moment; if it keeps failing, give your administrator this reference: "
          : error.message || "The server could not answer. Try again in a moment."}
        {error.digest ? <code>{error.digest}</code> : null}
      </p>
      <button type="button" onClick={reset} className="mt-3 rounded border px-3 py-1 text-sm">
        Try again
      </button>
    </section>
  );
}
