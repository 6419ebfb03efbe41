import type { Task } from "@taskflow/contracts";
import Link from "next/link";
import { priorityLabel } from "@/lib/format";
import { statusLabel } from "@/lib/problem";
import { When } from "./when";
import { WorkerName } from "./worker-name";

/** One task in a list: title, status, priority, assignee, due date, and its project when asked. */
export function TaskRow({ task, projectName }: { task: Task; projectName?: string | undefined }) {
  return (
    <li className="rounded border border-slate-200 bg-white p-2 text-sm dark:border-slate-800 dark:bg-slate-900">
      <Link href={`/tasks/${task.id}`} className="font-medium hover:underline">
        {task.title}
      </Link>
      <div className="mt-0.5 flex flex-wrap gap-x-2 text-xs text-slate-600 dark:text-slate-400">
        {projectName ? <span>{projectName}</span> : null}
        <span>{statusLabel(task.status)}</span>
        <span>{priorityLabel[task.priority] ?? task.priority}</span>
        <span>{task.progress}%</span>
        <WorkerName worker={task.assignee} />
        {task.dueAt ? <When iso={task.dueAt} show="due" done={task.status === "completed"} /> : null}
        {task.tags.length > 0 ? <span>{task.tags.map((t) => `#${t}`).join(" ")}</span> : null}
      </div>
    </li>
  );
}
