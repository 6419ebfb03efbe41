"use client";

import type { Project } from "@taskflow/contracts";
import { useActionState } from "react";
import { deleteProject, type FormState, updateProject } from "@/app/actions";
import { Field, inputClass } from "./field";
import { buttonClass, dangerButtonClass, FormMessage, panelClass } from "./form-message";

export function ProjectEditForm({ project }: { project: Project }) {
  const [state, action, pending] = useActionState<FormState, FormData>(
    updateProject.bind(null, project.id),
    {},
  );
  const error = state.errors ?? {};
  return (
    <form action={action} className={`grid gap-3 ${panelClass}`}>
      <h2 className="font-semibold">Details</h2>
      <Field label="Name" name="project-name" error={error.name} required>
        <input
          id="project-name"
          name="name"
          required
          maxLength={200}
          defaultValue={project.name}
          className={inputClass}
        />
      </Field>
      <Field label="Slug" name="project-slug" error={error.slug} required>
        <input
          id="project-slug"
          name="slug"
          required
          maxLength={64}
          defaultValue={project.slug}
          className={inputClass}
        />
      </Field>
      <Field label="Description" name="project-description" error={error.description}>
        <textarea
          id="project-description"
          name="description"
          rows={3}
          defaultValue={project.description}
          className={inputClass}
        />
      </Field>
      <FormMessage state={state} />
      <button type="submit" disabled={pending} className={buttonClass}>
        {pending ? "Saving…" : "Save project"}
      </button>
    </form>
  );
}

export function DeleteProjectForm({ project }: { project: Pick<Project, "id" | "slug" | "name"> }) {
  const [state, action, pending] = useActionState<FormState, FormData>(
    deleteProject.bind(null, { id: project.id, slug: project.slug }),
    {},
  );
  return (
    <form action={action} className="grid gap-3 rounded border border-red-300 p-4 dark:border-red-900">
      <h2 className="font-semibold text-red-800 dark:text-red-300">Delete this project</h2>
      <p className="text-sm">
        Deleting “{project.name}” removes its tasks, comments and webhooks for everyone. Its audit trail
        stays. This cannot be undone.
      </p>
      <Field label={`Type ${project.slug} to confirm`} name="delete-confirm" error={state.errors?.confirm}>
        <input id="delete-confirm" name="confirm" autoComplete="off" className={inputClass} />
      </Field>
      <FormMessage state={state} />
      <button type="submit" disabled={pending} className={`justify-self-start ${dangerButtonClass}`}>
        {pending ? "Deleting…" : "Delete project"}
      </button>
    </form>
  );
}
