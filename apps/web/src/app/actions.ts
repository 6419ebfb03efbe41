"use server";
// Server actions: thin wrappers that call src/lib/mutations.ts with the signed-in person's API client, then
// refresh the pages the change shows on. Every mutation goes from the Next server to the API.
import type { Project, Task } from "@taskflow/contracts";
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { sessionApi } from "@/lib/api";
import type { FormState } from "@/lib/mutations";
import * as m from "@/lib/mutations";
import { formMessage, problemMessage } from "@/lib/problem";

export type { FormState } from "@/lib/mutations";

// A form shows each field's error beside the field; the sentence above it then points there instead of repeating it.
const fail = (outcome: FormState): FormState => {
  const message = formMessage(outcome.message, outcome.errors);
  return {
    ok: false,
    ...(message ? { message } : {}),
    ...(outcome.errors ? { errors: outcome.errors } : {}),
  };
};

export async function createProject(_previous: FormState, form: FormData): Promise<FormState> {
  const outcome = await m.createProject(await sessionApi("/projects"), form);
  if (!outcome.ok) return fail(outcome);
  redirect(`/projects/${outcome.data.id}`);
}

export async function updateProject(
  projectId: string,
  _previous: FormState,
  form: FormData,
): Promise<FormState> {
  const outcome = await m.updateProject(await sessionApi(`/projects/${projectId}/settings`), projectId, form);
  if (!outcome.ok) return fail(outcome);
  revalidatePath(`/projects/${projectId}`, "layout");
  return { ok: true, message: "Saved." };
}

export async function deleteProject(
  project: Pick<Project, "id" | "slug">,
  _previous: FormState,
  form: FormData,
): Promise<FormState> {
  const outcome = await m.deleteProject(await sessionApi(`/projects/${project.id}/settings`), project, form);
  if (!outcome.ok) return fail(outcome);
  revalidatePath("/projects");
  redirect("/projects?deleted=1");
}

export interface MemberResult {
  ok: boolean;
  message?: string;
}

export async function addMember(projectId: string, workerId: string, role: string): Promise<MemberResult> {
  const outcome = await m.addMember(await sessionApi(`/projects/${projectId}`), projectId, workerId, role);
  if (outcome.ok) revalidatePath(`/projects/${projectId}`, "layout");
  return { ok: outcome.ok, ...(outcome.message ? { message: outcome.message } : {}) };
}

export async function changeMemberRole(
  projectId: string,
  workerId: string,
  role: string,
): Promise<MemberResult> {
  const outcome = await m.changeMemberRole(
    await sessionApi(`/projects/${projectId}`),
    projectId,
    workerId,
    role,
  );
  if (outcome.ok) revalidatePath(`/projects/${projectId}`, "layout");
  return { ok: outcome.ok, ...(outcome.message ? { message: outcome.message } : {}) };
}

export async function removeMember(projectId: string, workerId: string): Promise<MemberResult> {
  const outcome = await m.removeMember(await sessionApi(`/projects/${projectId}`), projectId, workerId);
  if (outcome.ok) revalidatePath(`/projects/${projectId}`, "layout");
  return { ok: outcome.ok, ...(outcome.message ? { message: outcome.message } : {}) };
}

export async function createTask(
  projectId: string,
  _previous: FormState,
  form: FormData,
): Promise<FormState> {
  const outcome = await m.createTask(await sessionApi(`/projects/${projectId}`), projectId, form);
  if (!outcome.ok) return fail(outcome);
  revalidatePath(`/projects/${projectId}`, "layout");
  if (outcome.data.parentId) revalidatePath(`/tasks/${outcome.data.parentId}`);
  return { ok: true, message: `Created “${outcome.data.title}”.` };
}

export async function updateTask(
  task: Pick<Task, "id" | "version" | "assignee">,
  _previous: FormState,
  form: FormData,
): Promise<FormState> {
  const outcome = await m.updateTask(await sessionApi(`/tasks/${task.id}`), task, form);
  if (!outcome.ok) return fail(outcome);
  revalidatePath(`/tasks/${task.id}`);
  return { ok: true, message: "Saved." };
}

export type MoveResult = { ok: true } | { ok: false; message: string; allowed?: string[] };

export async function moveTask(taskId: string, status: string): Promise<MoveResult> {
  const result = await m.moveTask(await sessionApi(`/tasks/${taskId}`), taskId, status);
  if (!result.ok) {
    return {
      ok: false,
      message: problemMessage(result.problem),
      ...(result.problem.allowed ? { allowed: result.problem.allowed } : {}),
    };
  }
  revalidatePath(`/projects/${result.data.projectId}`, "layout");
  return { ok: true };
}

export async function approveTask(taskId: string, _previous: FormState, form: FormData): Promise<FormState> {
  const outcome = await m.approveTask(await sessionApi(`/tasks/${taskId}`), taskId, form);
  if (!outcome.ok) return fail(outcome);
  revalidatePath(`/tasks/${taskId}`);
  return { ok: true, message: outcome.message ?? "Approved." };
}

export async function rejectTask(taskId: string, _previous: FormState, form: FormData): Promise<FormState> {
  const outcome = await m.rejectTask(await sessionApi(`/tasks/${taskId}`), taskId, form);
  if (!outcome.ok) return fail(outcome);
  revalidatePath(`/tasks/${taskId}`);
  return { ok: true, message: outcome.message ?? "Rejected." };
}

export async function addComment(taskId: string, _previous: FormState, form: FormData): Promise<FormState> {
  const outcome = await m.addComment(await sessionApi(`/tasks/${taskId}`), taskId, form);
  if (!outcome.ok) return fail(outcome);
  revalidatePath(`/tasks/${taskId}`);
  return { ok: true, message: "Comment added." };
}

export interface AgentFormState extends FormState {
  key?: string;
  handle?: string;
  /** The projects the new agent joined. */
  joinedProjects?: string[];
}

export async function registerAgent(_previous: AgentFormState, form: FormData): Promise<AgentFormState> {
  const outcome = await m.registerAgent(await sessionApi("/agents"), form);
  if (!outcome.ok) return fail(outcome);
  revalidatePath("/agents");
  return {
    ok: true,
    key: outcome.data.apiKey.key,
    handle: outcome.data.agent.handle,
    joinedProjects: outcome.data.joinedProjects,
  };
}

export async function rotateAgentKey(
  agentId: string,
  _previous: AgentFormState,
  form: FormData,
): Promise<AgentFormState> {
  const outcome = await m.rotateAgentKey(await sessionApi(`/agents/${agentId}`), agentId, form);
  if (!outcome.ok) return fail(outcome);
  revalidatePath(`/agents/${agentId}`);
  return { ok: true, key: outcome.data.key };
}

export async function revokeAgentKey(agentId: string, keyId: string): Promise<MemberResult> {
  const outcome = await m.revokeAgentKey(await sessionApi(`/agents/${agentId}`), agentId, keyId);
  if (outcome.ok) revalidatePath(`/agents/${agentId}`);
  return { ok: outcome.ok, ...(outcome.message ? { message: outcome.message } : {}) };
}

export interface TokenFormState extends FormState {
  token?: string;
  name?: string;
}

export async function createPersonalToken(
  _previous: TokenFormState,
  form: FormData,
): Promise<TokenFormState> {
  const outcome = await m.createPersonalToken(await sessionApi("/account/tokens"), form);
  if (!outcome.ok) return fail(outcome);
  revalidatePath("/account/tokens");
  return { ok: true, token: outcome.data.token, name: outcome.data.name };
}

export async function revokePersonalToken(tokenId: string): Promise<MemberResult> {
  const outcome = await m.revokePersonalToken(await sessionApi("/account/tokens"), tokenId);
  if (outcome.ok) revalidatePath("/account/tokens");
  return { ok: outcome.ok, ...(outcome.message ? { message: outcome.message } : {}) };
}
