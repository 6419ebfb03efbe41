import type { Member, Project, TaskPage, Worker } from "@taskflow/contracts";
import Link from "next/link";
import { AddMember } from "@/components/add-member";
import { Board } from "@/components/board";
import { LiveRefresh } from "@/components/live-refresh";
import { TaskForm } from "@/components/task-form";
import { apiCall, apiGet } from "@/lib/api";

export const dynamic = "force-dynamic";

export default async function ProjectBoard({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const here = `/projects/${id}`;
  const [project, tasks, members, workers] = await Promise.all([
    apiGet<Project>(`/api/projects/${encodeURIComponent(id)}`, here),
    apiGet<TaskPage>(
      `/api/projects/${encodeURIComponent(id)}/tasks?parentId=none&limit=100&sort=priority`,
      here,
    ),
    apiGet<Member[]>(`/api/projects/${encodeURIComponent(id)}/members`, here),
    apiCall<Worker[]>("/api/workers", { returnTo: here }),
  ]);
  const memberIds = new Set(members.map((m) => m.worker.id));
  const candidates = (workers.ok ? workers.data : [])
    .filter((w) => !memberIds.has(w.id) && !w.deletedAt)
    .map((w) => ({ id: w.id, handle: w.handle, kind: w.kind }));
  const canManage = project.role === "owner" || project.role === "admin";
  return (
    <div className="grid gap-6">
      <div className="flex flex-wrap items-baseline gap-3">
        <Link href="/projects" className="text-sm text-slate-500 hover:underline">
          Projects
        </Link>
        <h1 className="text-2xl font-semibold">{project.name}</h1>
        <LiveRefresh projectId={project.id} />
      </div>
      {project.description ? (
        <p className="text-slate-600 dark:text-slate-400">{project.description}</p>
      ) : null}
      <Board tasks={tasks.items} />
      {tasks.nextCursor ? <p className="text-sm text-slate-500">Showing the first 100 tasks.</p> : null}
      <div className="grid gap-6 md:grid-cols-2">
        {project.role !== "viewer" ? <TaskForm projectId={project.id} /> : null}
        <section className="rounded border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900">
          <h2 className="mb-2 font-semibold">Members</h2>
          <ul className="mb-3 grid gap-1 text-sm">
            {members.map((m) => (
              <li key={m.worker.id}>
                {m.worker.name} <span className="text-slate-500">{m.worker.handle}</span> ·{" "}
                {m.worker.kind === "agent" ? "agent" : "person"} · {m.role}
              </li>
            ))}
          </ul>
          {canManage ? <AddMember projectId={project.id} candidates={candidates} /> : null}
        </section>
      </div>
    </div>
  );
}
