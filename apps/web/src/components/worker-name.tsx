import type { WorkerSummary } from "@taskflow/contracts";
import { Avatar } from "./avatar";

/** A person or an agent: an initials avatar (shape and colour by kind), the name, and "agent" in words. */
export function WorkerName({ worker }: { worker: WorkerSummary | null | undefined }) {
  if (!worker) return <span className="text-slate-600 dark:text-slate-400">unassigned</span>;
  return (
    <span className="inline-flex items-center gap-1 align-middle">
      <Avatar worker={worker} />
      <span>{worker.name || worker.handle}</span>
      {worker.kind === "agent" ? (
        <span className="rounded bg-violet-100 px-1 text-xs text-violet-800 dark:bg-violet-900 dark:text-violet-200">
          agent
        </span>
      ) : null}
    </span>
  );
}
