import type { Project } from "@taskflow/contracts";
import type { Metadata } from "next";
import Link from "next/link";
import { ActivityList } from "@/components/activity-list";
import { secondaryButtonClass } from "@/components/form-message";
import { LiveRefresh } from "@/components/live-refresh";
import { ProjectNav } from "@/components/project-nav";
import { loadActivityPage } from "@/lib/activity-page";
import { apiGet, sessionApi, workersById } from "@/lib/api";
import { enc } from "@/lib/api-client";
import { newestId } from "@/lib/live-events";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Project activity" };

export default async function ProjectActivity({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<{ cursor?: string }>;
}) {
  const { id } = await params;
  const { cursor } = await searchParams;
  const here = `/projects/${id}/activity`;
  const [project, { audit, cursorRefused }, workers] = await Promise.all([
    apiGet<Project>(`/api/projects/${enc(id)}`, here),
    sessionApi(here).then((api) => loadActivityPage(api, id, cursor)),
    workersById(here),
  ]);
  return (
    <div className="grid gap-4">
      <ProjectNav project={project} current="/activity" />
      <LiveRefresh
        projectIds={[project.id]}
        renderedAt={Date.now()}
        after={newestId(audit.items.map((entry) => entry.id))}
      />
      {cursorRefused ? (
        <p
          role="alert"
          className="rounded border border-amber-300 bg-amber-50 p-3 text-sm dark:border-amber-800 dark:bg-amber-950"
        >
          This page of activity cannot be found: the link is old or was changed.{" "}
          <Link href={here} className="underline">
            Show the newest activity
          </Link>
          .
        </p>
      ) : (
        <ActivityList
          entries={audit.items}
          workers={workers}
          linkTasks
          empty="No activity yet."
          next={
            <>
              Every change to a task, a member or a setting is written here as it happens.{" "}
              <Link href={`/projects/${id}`} className="underline">
                Start on the board
              </Link>
              .
            </>
          }
        />
      )}
      <nav aria-label="Pages" className="flex gap-2">
        {cursor && !cursorRefused ? (
          <Link href={here} className={secondaryButtonClass}>
            Newest
          </Link>
        ) : null}
        {audit.nextCursor ? (
          <Link href={`${here}?cursor=${enc(audit.nextCursor)}`} className={secondaryButtonClass} rel="next">
            Older
          </Link>
        ) : null}
      </nav>
    </div>
  );
}
