// One field of a task changed where it is shown (the task page, the list, the palette): the request it makes,
// always with `If-Match` on the version the person started from, and what the person is told back. A 412
// (someone changed the task in between) reads the task again and names what changed (task-conflict.ts).
import type { Task } from "@taskflow/contracts";
import type { ApiClient, ApiRequest } from "./api-client";
import { enc } from "./api-client";
import { commaList, dueFromField } from "./forms";
import { problemMessage } from "./problem";
import { conflictChanges, conflictMessage, type FieldChange, type TaskSnapshot } from "./task-conflict";

export const editableFields = ["title", "status", "priority", "assignee", "dueAt", "tags"] as const;
export type EditableField = (typeof editableFields)[number];

export function isEditableField(value: string): value is EditableField {
  return (editableFields as readonly string[]).includes(value);
}

export type FieldEditResult =
  | { ok: true; task: Task; message: string }
  | { ok: false; message: string; conflict?: FieldChange[] };

/**
 * The API request that sets `field` to what the person typed or picked (`raw`, as the input holds it): status
 * and assignee have endpoints of their own; the others are a PATCH of that one field.
 */
export function fieldRequest(
  taskId: string,
  version: number,
  field: EditableField,
  raw: string,
  /** The zone a due date was typed in (the person's), UTC unless said. */
  zone = "UTC",
): { path: string; init: ApiRequest } {
  const headers = { "if-match": `"${version}"` };
  const path = `/api/tasks/${enc(taskId)}`;
  switch (field) {
    case "status":
      return { path: `${path}/status`, init: { method: "PATCH", body: { status: raw }, headers } };
    case "assignee":
      return {
        path: `${path}/assign`,
        init: { method: "PATCH", body: { assigneeId: raw || null }, headers },
      };
    case "tags":
      return { path, init: { method: "PATCH", body: { tags: commaList(raw) }, headers } };
    case "dueAt":
      return { path, init: { method: "PATCH", body: { dueAt: dueFromField(raw, zone) }, headers } };
    case "title":
      return { path, init: { method: "PATCH", body: { title: raw.trim() }, headers } };
    case "priority":
      return { path, init: { method: "PATCH", body: { priority: raw }, headers } };
  }
}

const fieldWords: Record<EditableField, string> = {
  title: "Title",
  status: "Status",
  priority: "Priority",
  assignee: "Assignee",
  dueAt: "Due date",
  tags: "Tags",
};

/** Saves one field on top of `base` (the task as the person saw it when they started editing). */
export async function editTaskField(
  api: ApiClient,
  base: TaskSnapshot,
  field: EditableField,
  raw: string,
  zone = "UTC",
): Promise<FieldEditResult> {
  const { path, init } = fieldRequest(base.id, base.version, field, raw, zone);
  const result = await api.call<Task>(path, init);
  if (result.ok) return { ok: true, task: result.data, message: `${fieldWords[field]} saved.` };
  if (result.status === 412) {
    const current = await api.call<Task>(`/api/tasks/${enc(base.id)}`);
    if (current.ok) {
      const changes = conflictChanges(base, current.data);
      return { ok: false, message: conflictMessage(changes), conflict: changes };
    }
  }
  return { ok: false, message: problemMessage(result.problem) };
}
