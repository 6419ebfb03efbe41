export default function Loading() {
  return (
    <p aria-live="polite" className="text-slate-500">
      Loading…
    </p>
  );
}
