import type {
  ActivityPage,
  AuditPage,
  CommentPage,
  Member,
  Project,
  RunList,
  Task,
  TaskDetail,
} from "@taskflow/contracts";
import type { Metadata } from "next";
import Link from "next/link";
import type { ReactNode } from "react";
import { ActivityList } from "@/components/activity-list";
import { CommandContext } from "@/components/command-context";
import { CommentForm } from "@/components/comment-form";
import { LiveRefresh } from "@/components/live-refresh";
import { Markdown } from "@/components/markdown";
import { OnDemand } from "@/components/on-demand";
import { ReviewPanel } from "@/components/review-panel";
import { RunView } from "@/components/run-view";
import { TaskEditForm } from "@/components/task-edit-form";
import { TaskForm } from "@/components/task-form";
import {
  AssigneeField,
  DueField,
  PriorityField,
  StatusField,
  TagsField,
  TitleField,
} from "@/components/task-inline-fields";
import { When } from "@/components/when";
import { WorkerName } from "@/components/worker-name";
import { apiGet, apiGetOr, workersById } from "@/lib/api";
import { enc } from "@/lib/api-client";
import { liveClaim } from "@/lib/claim";
import { newestId } from "@/lib/live-events";
import { markdownLinks } from "@/lib/markdown-page";
import { statusLabel } from "@/lib/problem";
import { timeZone } from "@/lib/request-time-zone";
import { snapshotOf } from "@/lib/task-conflict";
import { buildTree, loadDescendants, type TaskNode, treeCounts } from "@/lib/task-tree";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Task" };

function Tree({ nodes }: { nodes: TaskNode[] }) {
  return (
    <ul className="grid gap-1 border-l border-slate-200 pl-4 dark:border-slate-700">
      {nodes.map(({ task, children }) => (
        <li key={task.id}>
          <div className="flex flex-wrap items-baseline gap-x-2 text-sm">
            <Link href={`/tasks/${task.id}`} className="font-medium hover:underline">
              {task.title}
            </Link>
            <span className="text-slate-500">
              {statusLabel(task.status)} · {task.progress}% ·{" "}
            </span>
            <WorkerName worker={task.assignee} />
          </div>
          {children.length > 0 ? <Tree nodes={children} /> : null}
        </li>
      ))}
    </ul>
  );
}

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <dt className="text-xs uppercase tracking-wide text-slate-500">{label}</dt>
      <dd className="text-sm">{children}</dd>
    </div>
  );
}

export default async function TaskPageView({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const here = `/tasks/${id}`;
  const [task, audit, comments, workers, runs] = await Promise.all([
    apiGet<TaskDetail>(`/api/tasks/${enc(id)}`, here),
    apiGetOr<AuditPage>(`/api/tasks/${enc(id)}/audit?limit=50`, { items: [], nextCursor: null }, here),
    apiGetOr<CommentPage>(`/api/tasks/${enc(id)}/comments?limit=100`, { items: [], nextCursor: null }, here),
    workersById(here),
    apiGetOr<RunList>(`/api/tasks/${enc(id)}/runs?limit=5`, { items: [] }, here),
  ]);
  const [project, members, descendants, runPages] = await Promise.all([
    apiGet<Project>(`/api/projects/${enc(task.projectId)}`, here),
    apiGetOr<Member[]>(`/api/projects/${enc(task.projectId)}/members`, [], here),
    loadDescendants(task.subtasks, (parentId) =>
      apiGetOr<Task[]>(`/api/tasks/${enc(parentId)}/subtasks`, [], here),
    ),
    // The agents' runs on the task, newest first, each with its activities (live through the project's stream).
    Promise.all(
      runs.items.map((run) =>
        apiGetOr<ActivityPage>(
          `/api/runs/${enc(run.id)}/activities?limit=200`,
          { run, items: [], nextAfter: null },
          here,
        ),
      ),
    ),
  ]);
  const tree = buildTree(task.id, descendants.tasks);
  const counts = treeCounts(tree);
  // Markdown links @handles of the project's members (whom a mention notifies) and the dashboard's task URLs.
  const links = await markdownLinks(members.map((m) => m.worker));
  const zone = await timeZone();
  const canWork = project.role !== "viewer";
  const canReview = project.role === "owner" || project.role === "admin";
  const claim = liveClaim(task, new Date());
  const memberList = members.map((m) => m.worker);
  // What the fields edited in place start from (their version goes in If-Match).
  const snapshot = snapshotOf(task);
  return (
    <div className="grid gap-6">
      <div>
        <nav aria-label="Breadcrumb" className="flex flex-wrap gap-2 text-sm text-slate-500">
          <Link href={`/projects/${task.projectId}`} className="hover:underline">
            {project.name}
          </Link>
          <span aria-hidden="true">/</span>
          <Link href={`/projects/${task.projectId}/tasks`} className="hover:underline">
            Tasks
          </Link>
          {task.parentId ? (
            <>
              <span aria-hidden="true">/</span>
              <Link href={`/tasks/${task.parentId}`} className="hover:underline">
                Parent task
              </Link>
            </>
          ) : null}
        </nav>
        <div className="mt-1 flex flex-wrap items-baseline gap-3">
          <h1 className="text-2xl font-semibold">
            <TitleField task={snapshot} editable={canWork} />
          </h1>
          <StatusField
            task={snapshot}
            editable={canWork}
            className="rounded bg-slate-200 px-2 py-0.5 text-sm dark:bg-slate-800"
          />
          <CommandContext
            project={{ id: project.id, name: project.name, canWork }}
            task={snapshot}
            canReview={canReview}
          />
          <LiveRefresh
            projectIds={[task.projectId]}
            renderedAt={Date.now()}
            after={newestId(audit.items.map((entry) => entry.id))}
          />
        </div>
      </div>

      <dl className="grid grid-cols-2 gap-4 sm:grid-cols-3 lg:grid-cols-6">
        <Fact label="Assignee">
          <AssigneeField task={snapshot} editable={canWork} members={memberList} />
        </Fact>
        <Fact label="Priority">
          <PriorityField task={snapshot} editable={canWork} />
        </Fact>
        <Fact label="Due">
          <DueField
            task={snapshot}
            editable={canWork}
            zone={zone}
            shown={
              task.dueAt ? (
                <>
                  <When iso={task.dueAt} /> (
                  <When iso={task.dueAt} show="due" done={task.status === "completed"} />)
                </>
              ) : undefined
            }
          />
        </Fact>
        <Fact label="Tags">
          <TagsField task={snapshot} editable={canWork} />
        </Fact>
        <Fact label="Repeats">
          {task.recurrence
            ? `${task.recurrence.pattern}, occurrence ${task.recurrence.occurrence}${task.recurrence.max ? ` of ${task.recurrence.max}` : ""}`
            : "No"}
        </Fact>
        <Fact label="Created by">
          <WorkerName worker={task.creator} />
        </Fact>
      </dl>

      <div>
        <label htmlFor="task-progress" className="mb-1 block text-sm">
          Progress {task.progress}%
        </label>
        <progress
          id="task-progress"
          max={100}
          value={task.progress}
          className="h-2 w-full max-w-md accent-indigo-600"
        />
        {claim ? (
          <p data-testid="task-claim" className="mt-1 text-sm text-slate-600 dark:text-slate-400">
            Claimed by <WorkerName worker={workers.get(claim.holderId)} /> since{" "}
            <When iso={claim.claimedAt} />; lease until <When iso={claim.leaseExpiresAt} /> (each heartbeat
            extends it).
          </p>
        ) : null}
        {task.blockedBy.length > 0 ? (
          <p className="mt-1 text-sm text-amber-700 dark:text-amber-400">
            Waiting on {task.blockedBy.length} unfinished{" "}
            {task.blockedBy.length === 1 ? "dependency" : "dependencies"}:{" "}
            {task.blockedBy.map((dep, i) => (
              <span key={dep}>
                {i > 0 ? ", " : ""}
                <Link href={`/tasks/${dep}`} className="underline">
                  task {i + 1}
                </Link>
              </span>
            ))}
            .
          </p>
        ) : null}
      </div>

      {task.status === "review" ? <ReviewPanel taskId={task.id} canReview={canReview} /> : null}

      {runPages.length > 0 ? (
        <section aria-labelledby="runs-heading" className="grid gap-3">
          <h2 id="runs-heading" className="font-semibold">
            Agent runs
          </h2>
          {runPages.map((page) => (
            <RunView
              key={page.run.id}
              run={page.run}
              activities={page.items}
              workers={workers}
              canWork={canWork}
              links={links}
            />
          ))}
        </section>
      ) : null}

      <section>
        <h2 className="mb-1 font-semibold">Description</h2>
        {task.description ? (
          <Markdown text={task.description} links={links} className="text-slate-700 dark:text-slate-300" />
        ) : (
          <p className="text-slate-700 dark:text-slate-300">No description.</p>
        )}
      </section>

      <section aria-labelledby="subtasks-heading">
        <h2 id="subtasks-heading" className="mb-2 font-semibold">
          Subtasks{" "}
          {counts.total > 0 ? (
            <span className="text-sm font-normal text-slate-500">
              ({counts.done} of {counts.total} completed)
            </span>
          ) : null}
        </h2>
        {tree.length === 0 ? <p className="text-sm text-slate-500">No subtasks.</p> : <Tree nodes={tree} />}
        {descendants.truncated ? (
          <p className="mt-1 text-sm text-slate-500">
            Showing the first {descendants.tasks.length} subtasks.
          </p>
        ) : null}
      </section>

      <div className="grid gap-6 lg:grid-cols-2">
        <section aria-labelledby="comments-heading" className="grid content-start gap-3">
          <h2 id="comments-heading" className="font-semibold">
            Comments
          </h2>
          {comments.items.length === 0 ? (
            <p className="text-sm text-slate-500">No comments yet.</p>
          ) : (
            <ul className="grid gap-2">
              {comments.items.map((c) => (
                <li key={c.id} className="rounded border border-slate-200 p-2 text-sm dark:border-slate-800">
                  <div className="text-xs text-slate-500">
                    <WorkerName worker={c.author} /> · <When iso={c.createdAt} show="relative" />
                    {c.kind === "progress"
                      ? ` · progress${c.progress !== null ? ` ${c.progress}%` : ""}`
                      : ""}
                  </div>
                  <Markdown text={c.body} links={links} className="mt-1" />
                </li>
              ))}
            </ul>
          )}
          {canWork ? <CommentForm taskId={task.id} members={memberList} /> : null}
        </section>
        <section aria-labelledby="activity-heading">
          <h2 id="activity-heading" className="mb-2 font-semibold">
            Activity
          </h2>
          <ActivityList entries={audit.items} workers={workers} />
        </section>
      </div>

      {canWork ? (
        <div className="grid gap-6 lg:grid-cols-2">
          <OnDemand label="Edit all fields">
            <TaskEditForm task={task} members={memberList} />
          </OnDemand>
          <OnDemand label="New subtask">
            <TaskForm projectId={task.projectId} parentId={task.id} members={memberList} />
          </OnDemand>
        </div>
      ) : (
        <p className="text-sm text-slate-500">You are a viewer of this project: you can read, not change.</p>
      )}
    </div>
  );
}
