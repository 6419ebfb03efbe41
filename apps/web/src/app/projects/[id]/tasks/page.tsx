import type { Member, Project, TaskPage } from "@taskflow/contracts";
import type { Metadata } from "next";
import Link from "next/link";
import { CommandContext } from "@/components/command-context";
import { EmptyState } from "@/components/empty-state";
import { inputClass } from "@/components/field";
import { buttonClass, secondaryButtonClass } from "@/components/form-message";
import { LiveRefresh } from "@/components/live-refresh";
import { ProjectNav } from "@/components/project-nav";
import { TaskTable } from "@/components/task-table";
import { apiCall, apiGet, apiGetOr } from "@/lib/api";
import { enc } from "@/lib/api-client";
import { priorityLabel } from "@/lib/format";
import { statusLabel } from "@/lib/problem";
import { timeZone } from "@/lib/request-time-zone";
import {
  apiTaskQuery,
  filtersHref,
  isFiltered,
  parseTaskFilters,
  taskPriorities,
  taskSorts,
  taskStatuses,
} from "@/lib/task-filters";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Tasks" };

const sortLabels: Record<string, string> = {
  created: "Newest",
  updated: "Recently changed",
  priority: "Priority",
  due: "Due soonest",
};

export default async function TaskList({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { id } = await params;
  const filters = parseTaskFilters(await searchParams);
  const base = `/projects/${id}/tasks`;
  const zone = await timeZone();
  const [project, members, page] = await Promise.all([
    apiGet<Project>(`/api/projects/${enc(id)}`, base),
    apiGetOr<Member[]>(`/api/projects/${enc(id)}/members`, [], base),
    apiCall<TaskPage>(`/api/projects/${enc(id)}/tasks${apiTaskQuery(filters, zone)}`, { returnTo: base }),
  ]);
  const people = members.filter((m) => m.worker.kind === "human");
  const agents = members.filter((m) => m.worker.kind === "agent");
  return (
    <div className="grid gap-4">
      <ProjectNav project={project} current="/tasks" />
      <LiveRefresh projectIds={[project.id]} renderedAt={Date.now()} />
      <CommandContext project={{ id: project.id, name: project.name, canWork: project.role !== "viewer" }} />
      <search aria-label="Filter tasks">
        <form
          method="get"
          action={base}
          className="grid gap-3 rounded border border-slate-200 bg-white p-3 dark:border-slate-800 dark:bg-slate-900"
        >
          <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-4">
            <label className="text-sm">
              Search
              <input
                name="q"
                type="search"
                defaultValue={filters.q}
                placeholder="Words in title or description"
                className={inputClass}
              />
            </label>
            <label className="text-sm">
              Assignee
              <select name="assignee" defaultValue={filters.assignee ?? ""} className={inputClass}>
                <option value="">Anyone</option>
                <option value="me">Me</option>
                <option value="none">Nobody</option>
                {people.length > 0 ? (
                  <optgroup label="People">
                    {people.map((m) => (
                      <option key={m.worker.id} value={m.worker.id}>
                        {m.worker.name} ({m.worker.handle})
                      </option>
                    ))}
                  </optgroup>
                ) : null}
                {agents.length > 0 ? (
                  <optgroup label="Agents">
                    {agents.map((m) => (
                      <option key={m.worker.id} value={m.worker.id}>
                        {m.worker.name} ({m.worker.handle}, agent)
                      </option>
                    ))}
                  </optgroup>
                ) : null}
              </select>
            </label>
            <label className="text-sm">
              Tag
              <input name="tag" defaultValue={filters.tag} className={inputClass} />
            </label>
            <label className="text-sm">
              Sort
              <select name="sort" defaultValue={filters.sort} className={inputClass}>
                {taskSorts.map((s) => (
                  <option key={s} value={s}>
                    {sortLabels[s]}
                  </option>
                ))}
              </select>
            </label>
            <label className="text-sm">
              Due after ({zone})
              <input name="dueAfter" type="date" defaultValue={filters.dueAfter} className={inputClass} />
            </label>
            <label className="text-sm">
              Due before ({zone})
              <input name="dueBefore" type="date" defaultValue={filters.dueBefore} className={inputClass} />
            </label>
          </div>
          <div className="flex flex-wrap gap-x-6 gap-y-2 text-sm">
            <fieldset className="flex flex-wrap gap-x-3">
              <legend className="mb-1 font-medium">Status</legend>
              {taskStatuses.map((s) => (
                <label key={s} className="flex items-center gap-1">
                  <input
                    type="checkbox"
                    name="status"
                    value={s}
                    defaultChecked={filters.status.includes(s)}
                  />
                  {statusLabel(s)}
                </label>
              ))}
            </fieldset>
            <fieldset className="flex flex-wrap gap-x-3">
              <legend className="mb-1 font-medium">Priority</legend>
              {taskPriorities.map((p) => (
                <label key={p} className="flex items-center gap-1">
                  <input
                    type="checkbox"
                    name="priority"
                    value={p}
                    defaultChecked={filters.priority.includes(p)}
                  />
                  {priorityLabel[p]}
                </label>
              ))}
            </fieldset>
            <label className="flex items-center gap-1 self-end">
              <input type="checkbox" name="all" value="1" defaultChecked={filters.all} />
              Include subtasks
            </label>
          </div>
          <div className="flex gap-2">
            <button type="submit" className={buttonClass}>
              Apply filters
            </button>
            {isFiltered(filters) ? (
              <Link href={base} className={secondaryButtonClass}>
                Clear
              </Link>
            ) : null}
          </div>
        </form>
      </search>

      {!page.ok ? (
        <p
          role="alert"
          className="rounded border border-red-300 bg-red-50 p-3 text-sm dark:border-red-800 dark:bg-red-950"
        >
          The list could not be loaded: {page.problem.detail ?? page.problem.title}{" "}
          <Link href={base} className="underline">
            Start over without filters
          </Link>
          .
        </p>
      ) : page.data.items.length === 0 ? (
        <EmptyState
          testId="list-empty"
          title={isFiltered(filters) ? "No task matches these filters." : "This project has no tasks yet."}
        >
          {isFiltered(filters) ? (
            <Link href={base} className="underline">
              Clear the filters
            </Link>
          ) : (
            <Link href={`/projects/${id}`} className="underline">
              Add the first task on the board
            </Link>
          )}
        </EmptyState>
      ) : (
        <TaskTable
          tasks={page.data.items}
          members={members.map((m) => m.worker)}
          projectName={project.name}
          editable={project.role !== "viewer"}
          zone={zone}
        />
      )}
      {page.ok ? (
        <nav aria-label="Pages" className="flex gap-2 text-sm">
          {filters.cursor ? (
            <Link href={filtersHref(base, filters)} className={secondaryButtonClass}>
              First page
            </Link>
          ) : null}
          {page.data.nextCursor ? (
            <Link
              href={filtersHref(base, filters, { cursor: page.data.nextCursor })}
              className={secondaryButtonClass}
              rel="next"
            >
              Next page
            </Link>
          ) : null}
        </nav>
      ) : null}
    </div>
  );
}
