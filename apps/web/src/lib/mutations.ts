// Everything the dashboard changes, as plain functions over an API client. The server actions (src/app/actions.ts)
// call these with the signed-in person's client; the tests call them against a real API with real tokens.
import type { IssuedAgentKey, IssuedPersonalToken, Member, Project, Task, Worker } from "@taskflow/contracts";
import type { ApiClient, ApiResult } from "./api-client";
import { enc } from "./api-client";
import { commaList, taskFields, text } from "./forms";
import { type FieldErrors, fieldErrors, problemMessage } from "./problem";

export interface FormState {
  ok?: boolean;
  message?: string;
  errors?: FieldErrors;
}

export type Outcome<T = undefined> = { ok: true; data: T; message?: string } | (FormState & { ok: false });

function failed<T>(result: ApiResult<T> & { ok: false }): FormState & { ok: false } {
  return { ok: false, message: problemMessage(result.problem), errors: fieldErrors(result.problem) };
}

async function run<T>(promise: Promise<ApiResult<T>>, message?: string): Promise<Outcome<T>> {
  const result = await promise;
  if (!result.ok) return failed(result);
  return { ok: true, data: result.data, ...(message ? { message } : {}) };
}

// Projects and members

export function createProject(api: ApiClient, form: FormData) {
  const slug = text(form, "slug").trim();
  return run(
    api.call<Project>("/api/projects", {
      method: "POST",
      body: { name: text(form, "name"), description: text(form, "description"), ...(slug ? { slug } : {}) },
    }),
  );
}

export function updateProject(api: ApiClient, projectId: string, form: FormData) {
  return run(
    api.call<Project>(`/api/projects/${enc(projectId)}`, {
      method: "PATCH",
      body: {
        name: text(form, "name"),
        slug: text(form, "slug").trim(),
        description: text(form, "description"),
      },
    }),
    "Saved.",
  );
}

/** Deletes the project once the person typed its slug, so a slip of the mouse deletes nothing. */
export async function deleteProject(api: ApiClient, project: Pick<Project, "id" | "slug">, form: FormData) {
  if (text(form, "confirm").trim() !== project.slug) {
    return {
      ok: false as const,
      message: `Type the project's slug, ${project.slug}, to delete it.`,
      errors: { confirm: `Type ${project.slug} to confirm.` },
    };
  }
  return run(api.call<undefined>(`/api/projects/${enc(project.id)}`, { method: "DELETE" }));
}

export function addMember(api: ApiClient, projectId: string, workerId: string, role: string) {
  return run(
    api.call<Member>(`/api/projects/${enc(projectId)}/members`, { method: "POST", body: { workerId, role } }),
    "Added.",
  );
}

export function changeMemberRole(api: ApiClient, projectId: string, workerId: string, role: string) {
  return run(
    api.call<Member>(`/api/projects/${enc(projectId)}/members/${enc(workerId)}`, {
      method: "PATCH",
      body: { role },
    }),
    `Role changed to ${role}.`,
  );
}

export function removeMember(api: ApiClient, projectId: string, workerId: string) {
  return run(
    api.call<undefined>(`/api/projects/${enc(projectId)}/members/${enc(workerId)}`, { method: "DELETE" }),
    "Removed.",
  );
}

// Tasks

export function createTask(api: ApiClient, projectId: string, form: FormData) {
  const { dueAt, recurrence, ...fields } = taskFields(form);
  const parentId = text(form, "parentId");
  const assigneeId = text(form, "assigneeId");
  return run(
    api.call<Task>(`/api/projects/${enc(projectId)}/tasks`, {
      method: "POST",
      body: {
        ...fields,
        ...(dueAt ? { dueAt } : {}),
        ...(recurrence ? { recurrence } : {}),
        ...(parentId ? { parentId } : {}),
        ...(assigneeId ? { assigneeId } : {}),
      },
    }),
  );
}

/**
 * Saves the edit form: the fields, then the assignee when it changed. `version` is the one the form was
 * opened with, so a change made by someone else in between is refused (412) instead of overwritten.
 */
export async function updateTask(
  api: ApiClient,
  task: Pick<Task, "id" | "version" | "assignee">,
  form: FormData,
): Promise<Outcome<Task>> {
  const updated = await api.call<Task>(`/api/tasks/${enc(task.id)}`, {
    method: "PATCH",
    body: taskFields(form),
    headers: { "if-match": `"${task.version}"` },
  });
  if (!updated.ok) return failed(updated);
  const assigneeId = text(form, "assigneeId") || null;
  if (assigneeId === (task.assignee?.id ?? null)) return { ok: true, data: updated.data, message: "Saved." };
  const assigned = await api.call<Task>(`/api/tasks/${enc(task.id)}/assign`, {
    method: "PATCH",
    body: { assigneeId },
  });
  if (!assigned.ok) {
    const failure = failed(assigned);
    return { ...failure, errors: { assigneeId: failure.message ?? "", ...failure.errors } };
  }
  return { ok: true, data: assigned.data, message: "Saved." };
}

export function moveTask(api: ApiClient, taskId: string, status: string) {
  return api.call<Task>(`/api/tasks/${enc(taskId)}/status`, { method: "PATCH", body: { status } });
}

export function approveTask(api: ApiClient, taskId: string, form: FormData) {
  const note = text(form, "note").trim();
  return run(
    api.call<Task>(`/api/tasks/${enc(taskId)}/approve`, { method: "POST", body: note ? { note } : {} }),
    "Approved: the task is completed.",
  );
}

export function rejectTask(api: ApiClient, taskId: string, form: FormData) {
  const reason = text(form, "reason").trim();
  if (!reason) {
    return Promise.resolve({
      ok: false as const,
      message: "Say what to change: the reason goes back to whoever works on it.",
      errors: { reason: "Say what to change." },
    });
  }
  return run(
    api.call<Task>(`/api/tasks/${enc(taskId)}/reject`, { method: "POST", body: { reason } }),
    "Sent back to In progress with your reason.",
  );
}

export function addComment(api: ApiClient, taskId: string, form: FormData) {
  return run(
    api.call(`/api/tasks/${enc(taskId)}/comments`, { method: "POST", body: { body: text(form, "body") } }),
    "Comment added.",
  );
}

// Agents

/** Registers an agent, which joins the projects ticked (`joinProjects`) in the same request. */
export function registerAgent(api: ApiClient, form: FormData) {
  return run(
    api.call<{ agent: Worker; apiKey: IssuedAgentKey; joinedProjects: string[] }>("/api/agents", {
      method: "POST",
      body: {
        handle: text(form, "handle"),
        name: text(form, "name"),
        agentType: text(form, "agentType"),
        capabilities: commaList(text(form, "capabilities")),
        joinProjects: form.getAll("joinProjects").filter((id) => typeof id === "string"),
      },
    }),
  );
}

/** A new key for the agent; every other key of it stops working. */
export function rotateAgentKey(api: ApiClient, agentId: string, form: FormData) {
  const days = text(form, "expiresInDays").trim();
  return run(
    api.call<IssuedAgentKey>(`/api/agents/${enc(agentId)}/keys`, {
      method: "POST",
      body: days ? { expiresInDays: Number(days) } : {},
    }),
  );
}

export function revokeAgentKey(api: ApiClient, agentId: string, keyId: string) {
  return run(
    api.call<undefined>(`/api/agents/${enc(agentId)}/keys/${enc(keyId)}`, { method: "DELETE" }),
    "Key revoked: it no longer works.",
  );
}

// Personal access tokens (the account page)

/** A token for the signed-in person with the scopes ticked; the answer holds it this once. */
export function createPersonalToken(api: ApiClient, form: FormData) {
  const days = text(form, "expiresInDays").trim();
  return run(
    api.call<IssuedPersonalToken>("/api/personal-tokens", {
      method: "POST",
      body: {
        name: text(form, "name"),
        scopes: form.getAll("scopes").filter((scope) => typeof scope === "string"),
        ...(days ? { expiresInDays: Number(days) } : {}),
      },
    }),
  );
}

export function revokePersonalToken(api: ApiClient, tokenId: string) {
  return run(
    api.call<undefined>(`/api/personal-tokens/${enc(tokenId)}`, { method: "DELETE" }),
    "Token revoked: it no longer works.",
  );
}
