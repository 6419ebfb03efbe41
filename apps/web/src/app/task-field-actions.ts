"use server";
// Server actions of editing in place and of the command palette: one field of a task at a time, always with
// `If-Match` (src/lib/task-field-edit.ts), assigning the current task to the signed-in person, and the palette's
// search. What the browser sends is checked here before anything reaches the API.
import { type Project, Task, type TaskPage, type Worker } from "@taskflow/contracts";
import { revalidatePath } from "next/cache";
import { sessionApi } from "@/lib/api";
import { enc } from "@/lib/api-client";
import { type PaletteResults, paletteMatches } from "@/lib/palette";
import { timeZone } from "@/lib/request-time-zone";
import type { TaskSnapshot } from "@/lib/task-conflict";
import { editTaskField, type FieldEditResult, isEditableField } from "@/lib/task-field-edit";

const Snapshot = Task.pick({
  id: true,
  version: true,
  title: true,
  status: true,
  priority: true,
  assignee: true,
  dueAt: true,
  tags: true,
  description: true,
  progress: true,
});

function readSnapshot(value: unknown): TaskSnapshot | undefined {
  const parsed = Snapshot.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}

const refused: FieldEditResult = { ok: false, message: "This edit could not be read. Reload the page." };

function refresh(task: Pick<Task, "id" | "projectId">) {
  revalidatePath(`/tasks/${task.id}`);
  revalidatePath(`/projects/${task.projectId}`, "layout");
}

export async function saveTaskField(base: unknown, field: unknown, raw: unknown): Promise<FieldEditResult> {
  const snapshot = readSnapshot(base);
  if (!snapshot || typeof field !== "string" || !isEditableField(field) || typeof raw !== "string")
    return refused;
  // A due date is read in the zone the page showed it in: the person's, as every page resolves it.
  const outcome = await editTaskField(
    await sessionApi(`/tasks/${snapshot.id}`),
    snapshot,
    field,
    raw,
    await timeZone(),
  );
  if (outcome.ok) refresh(outcome.task);
  return outcome;
}

/** "Assign to me" of the palette: the signed-in person's worker, set as the assignee with `If-Match`. */
export async function assignTaskToMe(base: unknown): Promise<FieldEditResult> {
  const snapshot = readSnapshot(base);
  if (!snapshot) return refused;
  const api = await sessionApi(`/tasks/${snapshot.id}`);
  const me = await api.call<Worker>("/api/workers/me");
  if (!me.ok) return { ok: false, message: "Could not tell who you are. Reload the page." };
  const outcome = await editTaskField(api, snapshot, "assignee", me.data.id);
  if (outcome.ok) refresh(outcome.task);
  return outcome.ok ? { ...outcome, message: "Assigned to you." } : outcome;
}

/** Projects and tasks whose names hold what the person typed; tasks of the current project first. */
export async function searchPalette(query: unknown, projectId: unknown): Promise<PaletteResults> {
  const words = typeof query === "string" ? query.trim().slice(0, 200) : "";
  const api = await sessionApi("/");
  const [projects, tasks] = await Promise.all([
    api.call<Project[]>("/api/projects"),
    words && typeof projectId === "string" && /^[0-9a-f-]{36}$/i.test(projectId)
      ? api.call<TaskPage>(`/api/projects/${enc(projectId)}/tasks?q=${enc(words)}&limit=8`)
      : api.call<Task[]>("/api/tasks/recent?limit=20"),
  ]);
  const projectList = projects.ok ? projects.data : [];
  const taskList = tasks.ok ? ("items" in tasks.data ? tasks.data.items : tasks.data) : [];
  return paletteMatches(words, projectList, taskList);
}
