"use server";
// Server actions: every mutation goes from the Next server to the API with the session's access token.
import type { IssuedAgentKey, Project, Task, Worker } from "@taskflow/contracts";
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { apiCall } from "@/lib/api";
import { type FieldErrors, fieldErrors, problemMessage } from "@/lib/problem";

export interface FormState {
  message?: string;
  errors?: FieldErrors;
}

const text = (form: FormData, name: string) => {
  const value = form.get(name);
  return typeof value === "string" ? value : "";
};

export async function createProject(_previous: FormState, form: FormData): Promise<FormState> {
  const slug = text(form, "slug").trim();
  const result = await apiCall<Project>("/api/projects", {
    method: "POST",
    body: { name: text(form, "name"), description: text(form, "description"), ...(slug ? { slug } : {}) },
    returnTo: "/projects",
  });
  if (!result.ok) return { message: problemMessage(result.problem), errors: fieldErrors(result.problem) };
  redirect(`/projects/${result.data.id}`);
}

export async function createTask(
  projectId: string,
  _previous: FormState,
  form: FormData,
): Promise<FormState> {
  const tags = text(form, "tags")
    .split(",")
    .map((tag) => tag.trim())
    .filter(Boolean);
  const due = text(form, "dueAt");
  const parentId = text(form, "parentId");
  const result = await apiCall<Task>(`/api/projects/${encodeURIComponent(projectId)}/tasks`, {
    method: "POST",
    body: {
      title: text(form, "title"),
      description: text(form, "description"),
      priority: text(form, "priority") || "medium",
      tags,
      ...(due ? { dueAt: new Date(due).toISOString() } : {}),
      ...(parentId ? { parentId } : {}),
    },
    returnTo: `/projects/${projectId}`,
  });
  if (!result.ok) return { message: problemMessage(result.problem), errors: fieldErrors(result.problem) };
  revalidatePath(`/projects/${projectId}`);
  if (parentId) revalidatePath(`/tasks/${parentId}`);
  return { message: `Created “${result.data.title}”.` };
}

export type MoveResult = { ok: true } | { ok: false; message: string; allowed?: string[] };

export async function moveTask(taskId: string, status: string): Promise<MoveResult> {
  const result = await apiCall<Task>(`/api/tasks/${encodeURIComponent(taskId)}/status`, {
    method: "PATCH",
    body: { status },
  });
  if (!result.ok) {
    return {
      ok: false,
      message: problemMessage(result.problem),
      ...(result.problem.allowed ? { allowed: result.problem.allowed } : {}),
    };
  }
  revalidatePath(`/projects/${result.data.projectId}`);
  return { ok: true };
}

export interface AgentFormState extends FormState {
  key?: string;
  handle?: string;
}

export async function registerAgent(_previous: AgentFormState, form: FormData): Promise<AgentFormState> {
  const capabilities = text(form, "capabilities")
    .split(",")
    .map((c) => c.trim())
    .filter(Boolean);
  const result = await apiCall<{ agent: Worker; apiKey: IssuedAgentKey }>("/api/agents", {
    method: "POST",
    body: {
      handle: text(form, "handle"),
      name: text(form, "name"),
      agentType: text(form, "agentType"),
      capabilities,
    },
    returnTo: "/agents",
  });
  if (!result.ok) return { message: problemMessage(result.problem), errors: fieldErrors(result.problem) };
  revalidatePath("/agents");
  return { key: result.data.apiKey.key, handle: result.data.agent.handle };
}

export async function addMember(projectId: string, workerId: string, role: string): Promise<MoveResult> {
  const result = await apiCall(`/api/projects/${encodeURIComponent(projectId)}/members`, {
    method: "POST",
    body: { workerId, role },
  });
  if (!result.ok) return { ok: false, message: problemMessage(result.problem) };
  revalidatePath(`/projects/${projectId}`);
  return { ok: true };
}
