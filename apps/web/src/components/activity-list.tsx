import type { AuditEntry, WorkerSummary } from "@taskflow/contracts";
import Link from "next/link";
import { actorName, describeAudit } from "@/lib/audit-text";
import { formatWhen } from "@/lib/format";

/** An audit trail, newest first, in words. */
export function ActivityList({
  entries,
  workers,
  linkTasks = false,
  empty = "Nothing yet.",
  projectNames,
}: {
  entries: AuditEntry[];
  workers: Map<string, WorkerSummary>;
  linkTasks?: boolean;
  empty?: string;
  /** Names each entry's project, for lists that span projects. */
  projectNames?: Map<string, string>;
}) {
  if (entries.length === 0) return <p className="text-sm text-slate-500">{empty}</p>;
  return (
    <ol className="grid gap-2 border-l border-slate-300 pl-4 text-sm dark:border-slate-700">
      {entries.map((entry) => (
        <li key={entry.id} data-action={entry.action}>
          <span className="font-medium">{actorName(entry, workers)}</span> {describeAudit(entry, workers)}
          {linkTasks && entry.taskId && entry.action !== "task.deleted" ? (
            <>
              {" "}
              <Link
                href={`/tasks/${entry.taskId}`}
                className="text-indigo-700 hover:underline dark:text-indigo-300"
              >
                open
              </Link>
            </>
          ) : null}
          <div className="text-xs text-slate-500">
            <time dateTime={entry.createdAt}>{formatWhen(entry.createdAt)}</time> · via {entry.channel}
            {projectNames && entry.projectId && projectNames.has(entry.projectId)
              ? ` · ${projectNames.get(entry.projectId)}`
              : ""}
          </div>
        </li>
      ))}
    </ol>
  );
}
