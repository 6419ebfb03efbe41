import type { AuditPage, Project } from "@taskflow/contracts";
import type { Metadata } from "next";
import Link from "next/link";
import { ActivityList } from "@/components/activity-list";
import { secondaryButtonClass } from "@/components/form-message";
import { LiveRefresh } from "@/components/live-refresh";
import { ProjectNav } from "@/components/project-nav";
import { apiGet, workersById } from "@/lib/api";
import { enc, queryString } from "@/lib/api-client";
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
  const [project, audit, workers] = await Promise.all([
    apiGet<Project>(`/api/projects/${enc(id)}`, here),
    apiGet<AuditPage>(
      `/api/projects/${enc(id)}/audit${queryString({ limit: 50, cursor: typeof cursor === "string" ? cursor : undefined })}`,
      here,
    ),
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
      <ActivityList entries={audit.items} workers={workers} linkTasks empty="No activity yet." />
      <nav aria-label="Pages" className="flex gap-2">
        {cursor ? (
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
