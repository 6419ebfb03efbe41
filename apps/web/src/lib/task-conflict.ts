// What changed in a task between the version a person started editing and the one the API holds now: the
// fields that differ, each with its new value in words. An edit refused with 412 (someone changed the task
// in between) says this instead of "the resource has changed". Pure functions.
import type { Task } from "@taskflow/contracts";
import { formatWhen, priorityLabel } from "./format";
import { statusLabel } from "./problem";

/** The parts of a task that an edit in place starts from (what the page showed, and its version). */
export type TaskSnapshot = Pick<
  Task,
  | "id"
  | "version"
  | "title"
  | "status"
  | "priority"
  | "assignee"
  | "dueAt"
  | "tags"
  | "description"
  | "progress"
>;

export interface FieldChange {
  field: keyof TaskSnapshot;
  label: string;
  /** The value the task has now, in words. */
  now: string;
}

/** Only the snapshot's fields, so a whole Task (or TaskDetail) can be passed to a client component cheaply. */
export function snapshotOf(task: TaskSnapshot): TaskSnapshot {
  const { id, version, title, status, priority, assignee, dueAt, tags, description, progress } = task;
  return { id, version, title, status, priority, assignee, dueAt, tags, description, progress };
}

const workerWords = (worker: TaskSnapshot["assignee"]) =>
  worker ? `${worker.name || worker.handle}${worker.kind === "agent" ? " (agent)" : ""}` : "nobody";

const compared: {
  field: keyof TaskSnapshot;
  label: string;
  key: (task: TaskSnapshot) => string;
  words: (task: TaskSnapshot) => string;
}[] = [
  { field: "title", label: "Title", key: (t) => t.title, words: (t) => `“${t.title}”` },
  { field: "status", label: "Status", key: (t) => t.status, words: (t) => statusLabel(t.status) },
  {
    field: "priority",
    label: "Priority",
    key: (t) => t.priority,
    words: (t) => priorityLabel[t.priority] ?? t.priority,
  },
  {
    field: "assignee",
    label: "Assignee",
    key: (t) => t.assignee?.id ?? "",
    words: (t) => workerWords(t.assignee),
  },
  {
    field: "dueAt",
    label: "Due",
    key: (t) => (t.dueAt ? new Date(t.dueAt).toISOString() : ""),
    words: (t) => (t.dueAt ? formatWhen(t.dueAt) : "no due date"),
  },
  {
    field: "tags",
    label: "Tags",
    key: (t) => [...t.tags].sort().join(","),
    words: (t) => (t.tags.length > 0 ? t.tags.map((tag) => `#${tag}`).join(" ") : "none"),
  },
  {
    field: "description",
    label: "Description",
    key: (t) => t.description,
    words: () => "changed",
  },
  { field: "progress", label: "Progress", key: (t) => String(t.progress), words: (t) => `${t.progress}%` },
];

/** The fields that differ between what the person saw and the task now, in the order the page shows them. */
export function conflictChanges(before: TaskSnapshot, now: TaskSnapshot): FieldChange[] {
  return compared
    .filter(({ key }) => key(before) !== key(now))
    .map(({ field, label, words }) => ({ field, label, now: words(now) }));
}

/** One sentence for the person: who-knows-who changed it, which fields, and that their change was not saved. */
export function conflictMessage(changes: FieldChange[]): string {
  if (changes.length === 0) {
    return "Someone changed this task since you opened it (nothing shown here), so your change was not saved. Reload to see it.";
  }
  const list = changes.map((c) =>
    c.field === "description" ? "Description changed" : `${c.label} is now ${c.now}`,
  );
  return `Someone changed this task since you opened it: ${list.join("; ")}. Your change was not saved; reload to see the task as it is now.`;
}
