import type { AgentRun } from "@taskflow/contracts";
import Link from "next/link";
import { runNeedsLook, runStateLabel } from "@/lib/run-view";
import { When } from "./when";

/**
 * An agent's runs, newest first, with their states; stale and error runs are marked in words and colour (and
 * listed first in the count), so a quiet or failing agent is seen at a glance.
 */
export function AgentRuns({ runs, projectName }: { runs: AgentRun[]; projectName: Map<string, string> }) {
  const needLook = runs.filter(
    (run) => runNeedsLook(run) === "stale" || runNeedsLook(run) === "error",
  ).length;
  return (
    <section aria-labelledby="runs-heading" className="grid content-start gap-2">
      <h2 id="runs-heading" className="font-semibold">
        Runs ({runs.length}){needLook > 0 ? ` · ${needLook} need a look` : ""}
      </h2>
      {runs.length === 0 ? (
        <p className="text-sm text-slate-500">No runs yet in your projects.</p>
      ) : (
        <ul className="grid gap-2" data-testid="agent-runs">
          {runs.map((run) => {
            const look = runNeedsLook(run);
            const marked = look === "stale" || look === "error";
            return (
              <li
                key={run.id}
                data-run-state={run.state}
                className={`rounded border p-2 text-sm ${
                  look === "error"
                    ? "border-red-400 bg-red-50 dark:border-red-800 dark:bg-red-950"
                    : look === "stale"
                      ? "border-amber-400 bg-amber-50 dark:border-amber-800 dark:bg-amber-950"
                      : "border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900"
                }`}
              >
                <Link href={`/tasks/${run.taskId}`} className="font-medium hover:underline">
                  {run.taskTitle}
                </Link>
                <div className="text-xs text-slate-600 dark:text-slate-400">
                  {marked ? <strong className="uppercase">{run.state} · </strong> : null}
                  {runStateLabel(run.state)} · {projectName.get(run.projectId) ?? "a project"} · last activity{" "}
                  <When iso={run.lastActivityAt} show="relative" /> · opened by {run.origin}
                </div>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
