import type { Project } from "@taskflow/contracts";
import Link from "next/link";
import { EmptyState } from "@/components/empty-state";
import { ProjectForm } from "@/components/project-form";
import { apiGet } from "@/lib/api";

export const dynamic = "force-dynamic";
export const metadata = { title: "Projects" };

export default async function ProjectsPage({
  searchParams,
}: {
  searchParams: Promise<{ deleted?: string }>;
}) {
  const { deleted } = await searchParams;
  const projects = await apiGet<Project[]>("/api/projects", "/projects");
  return (
    <div className="grid gap-6 md:grid-cols-[2fr_1fr]">
      <section>
        <h1 className="mb-4 text-2xl font-semibold">Projects</h1>
        {deleted ? (
          <p role="status" className="mb-3 text-sm text-green-700 dark:text-green-400">
            The project was deleted.
          </p>
        ) : null}
        {projects.length === 0 ? (
          <EmptyState title="No projects yet.">
            Create the first one with the form on this page: a project holds tasks, its members and its
            agents.
          </EmptyState>
        ) : (
          <ul className="grid gap-2">
            {projects.map((project) => (
              <li key={project.id}>
                <Link
                  href={`/projects/${project.id}`}
                  className="block rounded border border-slate-200 bg-white p-3 hover:border-indigo-400 dark:border-slate-800 dark:bg-slate-900"
                >
                  <span className="font-medium">{project.name}</span>
                  <span className="ml-2 text-xs text-slate-500">
                    {project.slug} · {project.role}
                  </span>
                  {project.description ? (
                    <span className="mt-1 block text-sm text-slate-600 dark:text-slate-400">
                      {project.description}
                    </span>
                  ) : null}
                </Link>
              </li>
            ))}
          </ul>
        )}
      </section>
      <ProjectForm />
    </div>
  );
}
