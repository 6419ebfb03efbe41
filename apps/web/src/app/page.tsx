import type { AuditPage, Project, Task, TaskPage, Worker, WorkerSummary } from "@taskflow/contracts";
import Link from "next/link";
import type { ReactNode } from "react";
import { ActivityList } from "@/components/activity-list";
import { LiveRefresh } from "@/components/live-refresh";
import { TaskRow } from "@/components/task-row";
import { When } from "@/components/when";
import { WorkerName } from "@/components/worker-name";
import { apiGet, apiGetOr } from "@/lib/api";
import { enc } from "@/lib/api-client";
import { activityProjects, agentsAtWork, myOpenTasks, recentActivity, waitingForReview } from "@/lib/home";
import { newestId } from "@/lib/live-events";
import { readSession } from "@/lib/session";

export const dynamic = "force-dynamic";

/** The home page looks into this many projects (most recently created first); the rest are a click away. */
const projectLimit = 20;
/** Recent activity reads the audit trail of this many projects, this many entries each, and shows this many. */
const activity = { projects: 5, perProject: 10, shown: 12 };
const empty: TaskPage = { items: [], nextCursor: null };
const noAudit: AuditPage = { items: [], nextCursor: null };

function Panel({ title, id, children }: { title: string; id: string; children: ReactNode }) {
  return (
    <section aria-labelledby={id} className="grid content-start gap-2">
      <h2 id={id} className="font-semibold">
        {title}
      </h2>
      {children}
    </section>
  );
}

export default async function Home() {
  if (!(await readSession())) return <Welcome />;
  const renderedAt = Date.now();
  const [me, projects, workers, recent] = await Promise.all([
    apiGet<Worker>("/api/workers/me", "/"),
    apiGet<Project[]>("/api/projects", "/"),
    // Every worker, deleted ones too: activity names whoever acted, even an agent since removed.
    apiGetOr<Worker[]>("/api/workers?includeDeleted=true", [], "/"),
    apiGetOr<Task[]>("/api/tasks/recent?limit=10", [], "/"),
  ]);
  const agents = workers.filter((w) => w.kind === "agent" && !w.deletedAt);
  const looked = projects.slice(0, projectLimit);
  const audits = Promise.all(
    activityProjects(recent, looked, activity.projects).map((id) =>
      apiGetOr<AuditPage>(`/api/projects/${enc(id)}/audit?limit=${activity.perProject}`, noAudit, "/"),
    ),
  );
  const perProject = await Promise.all(
    looked.map((p) =>
      Promise.all([
        apiGetOr<TaskPage>(
          `/api/projects/${enc(p.id)}/tasks?assigneeId=me&status=pending,in_progress,review,blocked&sort=due&limit=50`,
          empty,
          "/",
        ),
        apiGetOr<TaskPage>(
          `/api/projects/${enc(p.id)}/tasks?status=in_progress,review&sort=updated&limit=100`,
          empty,
          "/",
        ),
      ]),
    ),
  );
  const entries = recentActivity(
    (await audits).map((page) => page.items),
    activity.shown,
  );
  const names = new Map<string, WorkerSummary>(
    workers.map((w) => [w.id, { id: w.id, kind: w.kind, handle: w.handle, name: w.name }]),
  );
  const now = new Date();
  const mine = myOpenTasks(
    perProject.flatMap(([m]) => m.items),
    me.id,
  );
  const active = perProject.flatMap(([, a]) => a.items);
  const review = waitingForReview(active, looked);
  const agentIds = new Set(agents.map((a) => a.id));
  const working = agentsAtWork(active, agentIds, now);
  const projectName = new Map(projects.map((p) => [p.id, p.name]));
  const agentById = new Map(agents.map((a) => [a.id, a]));

  return (
    <div className="grid gap-8">
      <div>
        <div className="flex flex-wrap items-baseline gap-x-3">
          <h1 className="text-2xl font-semibold">Home</h1>
          <LiveRefresh
            projectIds={looked.map((p) => p.id)}
            renderedAt={renderedAt}
            after={newestId(entries.map((e) => e.id))}
          />
        </div>
        <p className="text-sm text-slate-600 dark:text-slate-400">
          Signed in as {me.name} ({me.handle}).{" "}
          {projects.length > projectLimit
            ? `Showing work from your ${projectLimit} newest projects of ${projects.length}.`
            : ""}
        </p>
      </div>
      {projects.length === 0 ? (
        <p className="rounded border border-dashed border-slate-300 p-4 dark:border-slate-700">
          No projects yet.{" "}
          <Link href="/projects" className="text-indigo-700 underline dark:text-indigo-300">
            Create your first project
          </Link>
          , add tasks, then{" "}
          <Link href="/agents" className="text-indigo-700 underline dark:text-indigo-300">
            register an agent
          </Link>{" "}
          to work on them with you.
        </p>
      ) : null}
      <div className="grid gap-8 lg:grid-cols-2">
        <Panel title={`My tasks (${mine.length})`} id="home-mine">
          {mine.length === 0 ? (
            <p className="text-sm text-slate-500">Nothing assigned to you is open.</p>
          ) : (
            <ul className="grid gap-2" data-testid="my-tasks">
              {mine.map((t) => (
                <TaskRow key={t.id} task={t} projectName={projectName.get(t.projectId)} />
              ))}
            </ul>
          )}
        </Panel>
        <Panel title={`Waiting for my review (${review.length})`} id="home-review">
          {review.length === 0 ? (
            <p className="text-sm text-slate-500">No task in review needs you.</p>
          ) : (
            <ul className="grid gap-2" data-testid="review-tasks">
              {review.map((t) => (
                <TaskRow key={t.id} task={t} projectName={projectName.get(t.projectId)} />
              ))}
            </ul>
          )}
        </Panel>
        <Panel title="Agents at work now" id="home-agents">
          {working.length === 0 ? (
            <p className="text-sm text-slate-500">
              No agent holds a task right now.{" "}
              {agents.length === 0 ? (
                <Link href="/connect" className="underline">
                  Connect an agent
                </Link>
              ) : null}
            </p>
          ) : (
            <ul className="grid gap-2" data-testid="agents-now">
              {working.map((t) => {
                const holder = t.claim ? agentById.get(t.claim.holderId) : undefined;
                return (
                  <li
                    key={t.id}
                    className="rounded border border-slate-200 bg-white p-2 text-sm dark:border-slate-800 dark:bg-slate-900"
                  >
                    {holder ? (
                      <Link href={`/agents/${holder.id}`} className="hover:underline">
                        <WorkerName worker={holder} />
                      </Link>
                    ) : (
                      "An agent"
                    )}{" "}
                    is working on{" "}
                    <Link href={`/tasks/${t.id}`} className="font-medium hover:underline">
                      {t.title}
                    </Link>
                    <div className="text-xs text-slate-500">
                      {projectName.get(t.projectId)} · {t.progress}% · claimed{" "}
                      {t.claim ? <When iso={t.claim.claimedAt} show="relative" /> : ""} · lease until{" "}
                      {t.claim ? <When iso={t.claim.leaseExpiresAt} /> : ""}
                    </div>
                  </li>
                );
              })}
            </ul>
          )}
        </Panel>
        <Panel title="Recently changed" id="home-recent">
          {recent.length === 0 ? (
            <p className="text-sm text-slate-500">No changes yet.</p>
          ) : (
            <ul className="grid gap-2" data-testid="recent-tasks">
              {recent.map((t) => (
                <li key={t.id} className="text-sm">
                  <Link href={`/tasks/${t.id}`} className="font-medium hover:underline">
                    {t.title}
                  </Link>{" "}
                  <span className="text-xs text-slate-500">
                    {projectName.get(t.projectId)} · <When iso={t.updatedAt} show="relative" />
                  </span>
                </li>
              ))}
            </ul>
          )}
        </Panel>
        <div className="lg:col-span-2" data-testid="recent-activity">
          <Panel title="Recent activity" id="home-activity">
            <ActivityList
              entries={entries}
              workers={names}
              projectNames={projectName}
              linkTasks
              empty="Nothing has happened in your projects yet."
            />
          </Panel>
        </div>
      </div>
    </div>
  );
}

function Welcome() {
  return (
    <section className="mx-auto max-w-xl py-16 text-center">
      <h1 className="text-3xl font-semibold">TaskFlow</h1>
      <p className="mt-3 text-slate-600 dark:text-slate-400">
        People and AI agents working on the same tasks: projects, a shared board, agents that claim and
        report.
      </p>
      <a
        href="/api/auth/login"
        className="mt-8 inline-block rounded bg-indigo-600 px-5 py-2 font-medium text-white hover:bg-indigo-500"
      >
        Sign in
      </a>
    </section>
  );
}
