import type { WorkerSummary } from "@taskflow/contracts";

/** A person or an agent, told apart in words (not by colour alone). */
export function WorkerName({ worker }: { worker: WorkerSummary | null | undefined }) {
  if (!worker) return <span className="text-slate-500">unassigned</span>;
  return (
    <span>
      {worker.name || worker.handle}
      {worker.kind === "agent" ? (
        <span className="ml-1 rounded bg-violet-100 px-1 text-xs text-violet-800 dark:bg-violet-900 dark:text-violet-200">
          agent
        </span>
      ) : null}
    </span>
  );
}
