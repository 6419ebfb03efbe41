import type { Member, Project, Worker } from "@taskflow/contracts";
import type { Metadata } from "next";
import { panelClass } from "@/components/form-message";
import { AddMember, MemberList } from "@/components/members";
import { ProjectNav } from "@/components/project-nav";
import { DeleteProjectForm, ProjectEditForm } from "@/components/project-settings";
import { apiGet, apiGetOr } from "@/lib/api";
import { enc } from "@/lib/api-client";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Project settings" };

export default async function ProjectSettings({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const here = `/projects/${id}/settings`;
  const [project, members, workers] = await Promise.all([
    apiGet<Project>(`/api/projects/${enc(id)}`, here),
    apiGet<Member[]>(`/api/projects/${enc(id)}/members`, here),
    apiGetOr<Worker[]>("/api/workers", [], here),
  ]);
  const canManage = project.role === "owner" || project.role === "admin";
  const memberIds = new Set(members.map((m) => m.worker.id));
  const candidates = workers
    .filter((w) => !memberIds.has(w.id) && !w.deletedAt)
    .map((w) => ({ id: w.id, handle: w.handle, name: w.name, kind: w.kind }));
  return (
    <div className="grid gap-6">
      <ProjectNav project={project} current="/settings" />
      <p className="text-sm text-slate-600 dark:text-slate-400">
        Your role here: <strong>{project.role}</strong>.{" "}
        {canManage
          ? "You can edit the project and manage its members."
          : "Only the project's admins and owners edit it and manage members."}
      </p>
      <div className="grid gap-6 lg:grid-cols-2">
        <section aria-labelledby="members-heading" className={`grid content-start gap-3 ${panelClass}`}>
          <h2 id="members-heading" className="font-semibold">
            Members ({members.length})
          </h2>
          <p className="text-xs text-slate-500">
            Viewers read; members create and work tasks; admins also review tasks and manage members; owners
            also delete the project and grant the owner role.
          </p>
          <MemberList projectId={project.id} members={members} canManage={canManage} />
          {canManage ? <AddMember projectId={project.id} candidates={candidates} /> : null}
        </section>
        {canManage ? <ProjectEditForm project={project} /> : null}
      </div>
      {project.role === "owner" ? <DeleteProjectForm project={project} /> : null}
    </div>
  );
}
