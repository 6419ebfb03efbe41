"use client";

import Link from "next/link";
import { useActionState } from "react";
import { type AgentFormState, registerAgent } from "@/app/actions";
import { CopyButton } from "./copy-button";
import { Field, inputClass } from "./field";

/** A project the person may add the new agent to (they are its admin or owner). */
export interface JoinableProject {
  id: string;
  name: string;
}

const describedBy = (name: string, error: string | undefined, hint = false) =>
  [hint ? `${name}-hint` : "", error ? `${name}-error` : ""].filter(Boolean).join(" ") || undefined;

export function AgentForm({ projects }: { projects: JoinableProject[] }) {
  const [state, action, pending] = useActionState<AgentFormState, FormData>(registerAgent, {});
  const error = state.errors ?? {};
  const joined = projects.filter((project) => state.joinedProjects?.includes(project.id));
  return (
    <div className="grid gap-4">
      {state.key ? (
        <section
          aria-labelledby="new-key"
          className="rounded border border-amber-400 bg-amber-50 p-4 dark:border-amber-700 dark:bg-amber-950"
        >
          <h2 id="new-key" className="font-semibold">
            API key of {state.handle}
          </h2>
          <p className="mt-1 text-sm">Copy it now: it is shown only this once, and only its hash is kept.</p>
          <div className="mt-2 flex flex-wrap items-center gap-2">
            <code
              data-testid="agent-key"
              className="break-all rounded bg-white px-2 py-1 text-sm dark:bg-slate-900"
            >
              {state.key}
            </code>
            <CopyButton value={state.key} label="Copy key" />
          </div>
          <p data-testid="agent-projects" className="mt-2 text-sm">
            {joined.length > 0
              ? `It is a member of ${joined.map((project) => project.name).join(", ")}, and can work there.`
              : "It is in no project yet, so it can do nothing: add it on a project's settings page (Members)."}
          </p>
        </section>
      ) : null}
      <form
        action={action}
        className="grid gap-3 rounded border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900"
      >
        <h2 className="font-semibold">Register an agent</h2>
        <Field label="Handle" name="handle" error={error.handle} required>
          <input
            id="handle"
            name="handle"
            required
            placeholder="e.g. @claude-code"
            className={inputClass}
            aria-invalid={!!error.handle}
            aria-describedby={describedBy("handle", error.handle)}
          />
        </Field>
        <Field label="Name" name="name" error={error.name} required>
          <input
            id="name"
            name="name"
            required
            placeholder="e.g. Claude Code"
            className={inputClass}
            aria-invalid={!!error.name}
            aria-describedby={describedBy("name", error.name)}
          />
        </Field>
        <Field
          label="Agent type"
          name="agentType"
          error={error.agentType}
          required
          hint="What runs it: claude-code, codex, gemini-cli, cursor…"
        >
          <input
            id="agentType"
            name="agentType"
            required
            placeholder="e.g. claude-code"
            className={inputClass}
            aria-invalid={!!error.agentType}
            aria-describedby={describedBy("agentType", error.agentType, true)}
          />
        </Field>
        <Field label="Capabilities (comma-separated)" name="capabilities" error={error.capabilities}>
          <input
            id="capabilities"
            name="capabilities"
            placeholder="e.g. code, review"
            className={inputClass}
            aria-invalid={!!error.capabilities}
            aria-describedby={describedBy("capabilities", error.capabilities)}
          />
        </Field>
        <fieldset aria-describedby="joinProjects-hint">
          <legend className="text-sm font-medium">Projects it joins</legend>
          <p id="joinProjects-hint" className="mt-1 text-xs text-slate-500">
            An agent can do nothing until it is a member of a project. It joins the ones ticked, as a member.
          </p>
          {projects.length === 0 ? (
            <p className="mt-1 text-sm">
              You are not an admin or owner of any project yet:{" "}
              <Link href="/projects" className="underline">
                create one
              </Link>{" "}
              first, or add the agent to a project later.
            </p>
          ) : (
            <ul className="mt-1 grid gap-1">
              {projects.map((project) => (
                <li key={project.id}>
                  <label className="flex items-center gap-2 text-sm">
                    <input type="checkbox" name="joinProjects" value={project.id} />
                    {project.name}
                  </label>
                </li>
              ))}
            </ul>
          )}
          {error.joinProjects ? (
            <p id="joinProjects-error" role="alert" className="mt-1 text-sm text-red-700 dark:text-red-400">
              {error.joinProjects}
            </p>
          ) : null}
        </fieldset>
        {state.message ? (
          <p role="alert" className="text-sm text-red-700 dark:text-red-400">
            {state.message}
          </p>
        ) : null}
        <button
          type="submit"
          disabled={pending}
          className="justify-self-start rounded bg-indigo-600 px-4 py-1.5 text-sm font-medium text-white disabled:opacity-60"
        >
          {pending ? "Registering…" : "Register agent"}
        </button>
      </form>
    </div>
  );
}
