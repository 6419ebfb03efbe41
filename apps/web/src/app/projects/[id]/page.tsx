import type { Member, Project } from "@taskflow/contracts";
import Link from "next/link";
import { Board } from "@/components/board";
import { CommandContext } from "@/components/command-context";
import { LiveRefresh } from "@/components/live-refresh";
import { OnDemand } from "@/components/on-demand";
import { ProjectNav } from "@/components/project-nav";
import { TaskForm } from "@/components/task-form";
import { apiGet, apiGetOr } from "@/lib/api";
import { enc } from "@/lib/api-client";
import { columnLimits, columnSize, moreCardsHref } from "@/lib/board-columns";
import { loadBoardColumns } from "@/lib/board-data";

export const dynamic = "force-dynamic";

export default async function ProjectBoard({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { id } = await params;
  // `?new=1`: the command palette's "Create a task" from another page of the project opens the form.
  const query = await searchParams;
  const openNewTask = query.new === "1";
  const here = `/projects/${id}`;
  // Each column's first cards (more when the URL asks: "Show more"), highest priority first.
  const limits = columnLimits(query);
  const [project, columns, members] = await Promise.all([
    apiGet<Project>(`/api/projects/${enc(id)}`, here),
    loadBoardColumns(id, limits, here),
    apiGetOr<Member[]>(`/api/projects/${enc(id)}/members`, [], here),
  ]);
  const shown = columns.map((column) => ({
    ...column,
    moreHref:
      column.more && limits[column.status] < columnSize.most
        ? moreCardsHref(here, query, limits, column.status)
        : null,
  }));
  return (
    <div className="grid gap-6">
      <div className="grid gap-1">
        <ProjectNav project={project} current="" />
        <div className="flex flex-wrap items-center gap-3">
          {project.description ? (
            <p className="text-slate-600 dark:text-slate-400">{project.description}</p>
          ) : null}
          <LiveRefresh projectIds={[project.id]} renderedAt={Date.now()} />
        </div>
      </div>
      <CommandContext project={{ id: project.id, name: project.name, canWork: project.role !== "viewer" }} />
      {project.role !== "viewer" ? (
        <div className="max-w-2xl">
          <OnDemand label="New task" openEvent="taskflow:new-task" openAtStart={openNewTask}>
            <TaskForm projectId={project.id} members={members.map((m) => m.worker)} />
          </OnDemand>
        </div>
      ) : null}
      <Board columns={shown} />
      {columns.some((column) => column.more) ? (
        <p className="text-sm text-slate-500">
          Each column shows its highest-priority tasks first.{" "}
          <Link href={`${here}/tasks`} className="underline">
            See them all in the list
          </Link>
          .
        </p>
      ) : null}
      {project.role !== "viewer" ? null : (
        <p className="text-sm text-slate-500">
          You are a viewer of this project: you can follow the work, not change it.
        </p>
      )}
    </div>
  );
}
