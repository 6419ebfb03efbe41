import type { AgentKey, AuditPage, Project, RunList, Task, TaskPage, Worker } from "@taskflow/contracts";
import type { Metadata } from "next";
import Link from "next/link";
import { ActivityList } from "@/components/activity-list";
import { RevokeKey, RotateKey } from "@/components/agent-keys";
import { AgentRuns } from "@/components/agent-runs";
import { panelClass } from "@/components/form-message";
import { LiveRefresh } from "@/components/live-refresh";
import { TaskRow } from "@/components/task-row";
import { When } from "@/components/when";
import { agentActivity, agentWork, keyState, lastSeen } from "@/lib/agent-work";
import { apiCall, apiGet, apiGetOr, workersById } from "@/lib/api";
import { enc } from "@/lib/api-client";
import { newestId } from "@/lib/live-events";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Agent" };

/** How many projects (newest first) the page looks into for the agent's work and activity. */
const projectLimit = 20;

export default async function AgentPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const here = `/agents/${id}`;
  const renderedAt = Date.now();
  const [agent, keys, projects, workers, runs] = await Promise.all([
    apiGet<Worker>(`/api/agents/${enc(id)}`, here),
    apiCall<AgentKey[]>(`/api/agents/${enc(id)}/keys`, { returnTo: here }),
    apiGet<Project[]>("/api/projects", here),
    workersById(here),
    apiGetOr<RunList>(`/api/agents/${enc(id)}/runs?limit=50`, { items: [] }, here),
  ]);
  const looked = projects.slice(0, projectLimit);
  const perProject = await Promise.all(
    looked.map((p) =>
      Promise.all([
        apiGetOr<TaskPage>(
          `/api/projects/${enc(p.id)}/tasks?assigneeId=${enc(agent.id)}&status=pending,in_progress,review,blocked&sort=updated&limit=50`,
          { items: [], nextCursor: null },
          here,
        ),
        apiGetOr<AuditPage>(
          `/api/projects/${enc(p.id)}/audit?limit=50`,
          { items: [], nextCursor: null },
          here,
        ),
      ]),
    ),
  );
  const now = new Date();
  const tasks: Task[] = perProject.flatMap(([t]) => t.items);
  const work = agentWork(agent.id, tasks, now);
  const audit = perProject.flatMap(([, a]) => a.items);
  const activity = agentActivity(agent.id, audit);
  const projectName = new Map(projects.map((p) => [p.id, p.name]));
  const seen = keys.ok ? lastSeen(keys.data) : undefined;
  return (
    <div className="grid gap-6">
      <div>
        <Link href="/agents" className="text-sm text-slate-500 hover:underline">
          ← Agents
        </Link>
        <div className="mt-1 flex flex-wrap items-baseline gap-x-3">
          <h1 className="text-2xl font-semibold">
            {agent.name} <span className="text-base font-normal text-slate-500">{agent.handle} · agent</span>
          </h1>
          <LiveRefresh
            projectIds={looked.map((p) => p.id)}
            renderedAt={renderedAt}
            after={newestId(audit.map((entry) => entry.id))}
          />
        </div>
        <p className="text-sm text-slate-600 dark:text-slate-400">
          {agent.agentType}
          {agent.capabilities.length > 0 ? ` · can: ${agent.capabilities.join(", ")}` : ""} ·{" "}
          {seen ? (
            <>
              last used its key <When iso={seen} show="relative" />
            </>
          ) : (
            "has not used a key yet"
          )}
        </p>
        <Link href={`/agents/${agent.id}/insights`} className="text-sm underline">
          Insights: claims, completions, rejections, stops and lease time per week
        </Link>
      </div>

      <div className="grid gap-6 lg:grid-cols-2">
        <section aria-labelledby="work-heading" className="grid content-start gap-2">
          <h2 id="work-heading" className="font-semibold">
            Working on now ({work.claims.length})
          </h2>
          {work.claims.length === 0 ? (
            <p className="text-sm text-slate-500">It holds no task right now.</p>
          ) : (
            <ul className="grid gap-2" data-testid="agent-claims">
              {work.claims.map((t) => (
                <li
                  key={t.id}
                  className="rounded border border-slate-200 bg-white p-2 text-sm dark:border-slate-800 dark:bg-slate-900"
                >
                  <Link href={`/tasks/${t.id}`} className="font-medium hover:underline">
                    {t.title}
                  </Link>
                  <div className="text-xs text-slate-500">
                    {projectName.get(t.projectId)} · {t.progress}% · claimed{" "}
                    {t.claim ? <When iso={t.claim.claimedAt} show="relative" /> : ""}
                    {" · "}lease until {t.claim ? <When iso={t.claim.leaseExpiresAt} /> : ""} (renewed by each
                    heartbeat)
                    {t.stop && !t.stop.acknowledgedAt ? " · asked to stop" : ""}
                  </div>
                </li>
              ))}
            </ul>
          )}
          <h2 className="mt-4 font-semibold">Assigned, not claimed ({work.assigned.length})</h2>
          {work.assigned.length === 0 ? (
            <p className="text-sm text-slate-500">Nothing else assigned.</p>
          ) : (
            <ul className="grid gap-2">
              {work.assigned.map((t) => (
                <TaskRow key={t.id} task={t} projectName={projectName.get(t.projectId)} />
              ))}
            </ul>
          )}
        </section>
        <section aria-labelledby="agent-activity-heading">
          <h2 id="agent-activity-heading" className="mb-2 font-semibold">
            Recent activity
          </h2>
          <ActivityList
            entries={activity}
            workers={workers}
            linkTasks
            empty="No recent activity in your projects."
          />
        </section>
      </div>

      <AgentRuns runs={runs.items} projectName={projectName} />

      <section aria-labelledby="keys-heading" className={`grid gap-3 ${panelClass}`}>
        <h2 id="keys-heading" className="font-semibold">
          API keys
        </h2>
        {!keys.ok ? (
          <p className="text-sm text-slate-500">
            {keys.problem.detail ?? "Only the organization's owners and admins see and manage agent keys."}
          </p>
        ) : (
          <>
            {keys.data.length === 0 ? <p className="text-sm text-slate-500">No keys.</p> : null}
            <ul className="grid gap-2 text-sm" data-testid="agent-keys">
              {keys.data.map((key) => {
                const state = keyState(key, now);
                return (
                  <li key={key.id} className="flex flex-wrap items-center gap-x-3 gap-y-1">
                    <code>…{key.lastChars}</code>
                    <span
                      className={
                        state === "active"
                          ? "text-green-700 dark:text-green-400"
                          : "text-slate-500 line-through decoration-1"
                      }
                    >
                      {state}
                    </span>
                    <span className="text-xs text-slate-500">
                      issued <When iso={key.createdAt} />
                      {key.expiresAt ? (
                        <>
                          {" · expires "}
                          <When iso={key.expiresAt} />
                        </>
                      ) : (
                        ""
                      )}
                      {key.lastUsedAt ? (
                        <>
                          {" · last used "}
                          <When iso={key.lastUsedAt} show="relative" />
                        </>
                      ) : (
                        " · never used"
                      )}{" "}
                      · {key.scopes.actions.join(", ")}
                      {key.scopes.projectIds
                        ? ` · ${key.scopes.projectIds.length} project(s)`
                        : " · all its projects"}
                    </span>
                    {state === "active" ? <RevokeKey agentId={agent.id} agentKey={key} /> : null}
                  </li>
                );
              })}
            </ul>
            <RotateKey agentId={agent.id} handle={agent.handle} />
          </>
        )}
      </section>
    </div>
  );
}
