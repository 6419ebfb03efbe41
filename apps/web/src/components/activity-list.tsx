import type { AuditEntry, WorkerSummary } from "@taskflow/contracts";
import Link from "next/link";
import type { ReactNode } from "react";
import { actorName, describeAudit } from "@/lib/audit-text";
import { Avatar } from "./avatar";
import { EmptyState } from "./empty-state";
import { When } from "./when";

/** An audit trail, newest first, in words. */
export function ActivityList({
  entries,
  workers,
  linkTasks = false,
  empty = "Nothing yet.",
  next,
  projectNames,
}: {
  entries: AuditEntry[];
  workers: Map<string, WorkerSummary>;
  linkTasks?: boolean;
  empty?: string;
  /** What to do when there is nothing yet (a link, a sentence). */
  next?: ReactNode;
  /** Names each entry's project, for lists that span projects. */
  projectNames?: Map<string, string>;
}) {
  if (entries.length === 0) return <EmptyState title={empty}>{next}</EmptyState>;
  return (
    <ol className="grid gap-2 border-l border-slate-300 pl-4 text-sm dark:border-slate-700">
      {entries.map((entry) => (
        <li key={entry.id} data-action={entry.action}>
          <ActorAvatar entry={entry} workers={workers} />
          <span className="font-medium">{actorName(entry, workers)}</span> {describeAudit(entry, workers)}
          {linkTasks && entry.taskId && entry.action !== "task.deleted" ? (
            <>
              {" "}
              <Link
                href={`/tasks/${entry.taskId}`}
                className="text-indigo-700 underline dark:text-indigo-300"
              >
                open
              </Link>
            </>
          ) : null}
          <div className="text-xs text-slate-500">
            <When iso={entry.createdAt} show="relative" /> · via {entry.channel}
            {projectNames && entry.projectId && projectNames.has(entry.projectId)
              ? ` · ${projectNames.get(entry.projectId)}`
              : ""}
          </div>
        </li>
      ))}
    </ol>
  );
}

/** The actor's avatar when the actor is a worker we know (the system has none). */
function ActorAvatar({ entry, workers }: { entry: AuditEntry; workers: Map<string, WorkerSummary> }) {
  const worker = entry.actorId ? workers.get(entry.actorId) : undefined;
  return worker ? (
    <span className="mr-1">
      <Avatar worker={worker} />
    </span>
  ) : null;
}
