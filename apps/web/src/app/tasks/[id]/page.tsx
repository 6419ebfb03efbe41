import type { AuditPage, TaskDetail } from "@taskflow/contracts";
import Link from "next/link";
import { TaskForm } from "@/components/task-form";
import { apiGet } from "@/lib/api";
import { statusLabel } from "@/lib/problem";

export const dynamic = "force-dynamic";

export default async function TaskPageView({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const here = `/tasks/${id}`;
  const [task, audit] = await Promise.all([
    apiGet<TaskDetail>(`/api/tasks/${encodeURIComponent(id)}`, here),
    apiGet<AuditPage>(`/api/tasks/${encodeURIComponent(id)}/audit?limit=50`, here),
  ]);
  return (
    <div className="grid gap-6">
      <div>
        <Link href={`/projects/${task.projectId}`} className="text-sm text-slate-500 hover:underline">
          ← Board
        </Link>
        <h1 className="mt-1 text-2xl font-semibold">{task.title}</h1>
        <p className="mt-1 text-sm text-slate-500">
          {statusLabel(task.status)} · {task.priority}
          {task.assignee
            ? ` · ${task.assignee.handle} (${task.assignee.kind === "agent" ? "agent" : "person"})`
            : " · unassigned"}
          {task.dueAt ? ` · due ${new Date(task.dueAt).toLocaleString("en")}` : ""}
          {task.tags.length > 0 ? ` · ${task.tags.map((t) => `#${t}`).join(" ")}` : ""}
        </p>
      </div>
      <div>
        <div className="mb-1 text-sm">Progress {task.progress}%</div>
        <div
          role="progressbar"
          aria-valuenow={task.progress}
          aria-valuemin={0}
          aria-valuemax={100}
          aria-label="Progress"
          className="h-2 w-full max-w-md rounded bg-slate-200 dark:bg-slate-800"
        >
          <div className="h-2 rounded bg-indigo-600" style={{ width: `${task.progress}%` }} />
        </div>
      </div>
      <section>
        <h2 className="mb-1 font-semibold">Description</h2>
        <p className="whitespace-pre-wrap text-slate-700 dark:text-slate-300">
          {task.description || "No description."}
        </p>
      </section>
      <section>
        <h2 className="mb-2 font-semibold">Subtasks</h2>
        {task.subtasks.length === 0 ? (
          <p className="text-sm text-slate-500">No subtasks.</p>
        ) : (
          <ul className="grid gap-1 text-sm">
            {task.subtasks.map((sub) => (
              <li key={sub.id}>
                <Link href={`/tasks/${sub.id}`} className="hover:underline">
                  {sub.title}
                </Link>{" "}
                <span className="text-slate-500">
                  {statusLabel(sub.status)} · {sub.progress}%{sub.assignee ? ` · ${sub.assignee.handle}` : ""}
                </span>
              </li>
            ))}
          </ul>
        )}
      </section>
      <section>
        <h2 className="mb-2 font-semibold">Activity</h2>
        <ol className="grid gap-1 border-l border-slate-300 pl-4 text-sm dark:border-slate-700">
          {audit.items.map((entry) => (
            <li key={entry.id}>
              <time dateTime={entry.createdAt} className="text-slate-500">
                {new Date(entry.createdAt).toLocaleString("en")}
              </time>{" "}
              <span className="font-medium">{entry.action}</span>{" "}
              <span className="text-slate-500">
                by {entry.actorType} via {entry.channel}
              </span>
            </li>
          ))}
        </ol>
      </section>
      <div className="max-w-xl">
        <TaskForm projectId={task.projectId} parentId={task.id} />
      </div>
    </div>
  );
}
