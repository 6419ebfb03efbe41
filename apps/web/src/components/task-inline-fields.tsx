// The six fields of a task that can be edited where they are shown (task page and list), each an InlineField
// with its editor and its value in words. No "use client": the task page (a server component) and the list's
// table (a client component) both render these.
import type { WorkerSummary } from "@taskflow/contracts";
import type { ReactNode } from "react";
import { priorityLabel } from "@/lib/format";
import { statusLabel } from "@/lib/problem";
import type { TaskSnapshot } from "@/lib/task-conflict";
// From time-zone, not forms: forms reads @taskflow/contracts (zod and every schema), and the list's table is a
// client component: that import alone added 100 KiB to the list's JavaScript.
import { formatInZone, toZonedField } from "@/lib/time-zone";
import { type FieldOption, InlineField } from "./inline-field";
import { Moment } from "./moment";
import { WorkerName } from "./worker-name";

interface FieldProps {
  task: TaskSnapshot;
  editable: boolean;
  className?: string;
}

const statusOptions: FieldOption[] = ["pending", "in_progress", "review", "blocked", "completed"].map(
  (s) => ({
    value: s,
    label: statusLabel(s),
  }),
);
const priorityOptions: FieldOption[] = ["low", "medium", "high", "critical"].map((p) => ({
  value: p,
  label: priorityLabel[p] ?? p,
}));

/** `display` replaces the title where it is shown already (the list's link): a pencil to rename it. */
export function TitleField({ task, editable, className, display }: FieldProps & { display?: ReactNode }) {
  return (
    <InlineField
      task={task}
      field="title"
      label="Title"
      text={task.title}
      initial={task.title}
      editable={editable}
      {...(className ? { className } : {})}
    >
      {display}
    </InlineField>
  );
}

export function StatusField({ task, editable, className }: FieldProps) {
  return (
    <InlineField
      task={task}
      field="status"
      label="Status"
      text={statusLabel(task.status)}
      initial={task.status}
      input="select"
      options={statusOptions}
      editable={editable}
      {...(className ? { className } : {})}
    >
      <span data-testid="task-status">{statusLabel(task.status)}</span>
    </InlineField>
  );
}

export function PriorityField({ task, editable }: FieldProps) {
  const text = priorityLabel[task.priority] ?? task.priority;
  return (
    <InlineField
      task={task}
      field="priority"
      label="Priority"
      text={text}
      initial={task.priority}
      input="select"
      options={priorityOptions}
      editable={editable}
    />
  );
}

export function AssigneeField({ task, editable, members }: FieldProps & { members: WorkerSummary[] }) {
  const options: FieldOption[] = [
    { value: "", label: "Nobody" },
    ...members
      .filter((m) => m.kind === "human")
      .map((m) => ({ value: m.id, label: `${m.name} (${m.handle})`, group: "People" })),
    ...members
      .filter((m) => m.kind === "agent")
      .map((m) => ({ value: m.id, label: `${m.name} (${m.handle}, agent)`, group: "Agents" })),
  ];
  const who = task.assignee;
  const text = who ? `${who.name || who.handle}${who.kind === "agent" ? " (agent)" : ""}` : "unassigned";
  return (
    <InlineField
      task={task}
      field="assignee"
      label="Assignee"
      text={text}
      initial={who?.id ?? ""}
      input="select"
      options={options}
      editable={editable}
    >
      <WorkerName worker={who} />
    </InlineField>
  );
}

/**
 * The due date in the person's zone (`zone`, the request's: lib/request-time-zone.ts), entered in it too: the action
 * reads what was typed in the same zone. Shown as "due in 3 hours" / "2 days overdue" with the date in its tooltip;
 * `shown` replaces that where a page says more (the task page: the date, then the words).
 */
export function DueField({ task, editable, zone, shown }: FieldProps & { zone: string; shown?: ReactNode }) {
  return (
    <InlineField
      task={task}
      field="dueAt"
      label={`Due (${zone})`}
      text={task.dueAt ? formatInZone(task.dueAt, zone) : "No due date"}
      initial={toZonedField(task.dueAt, zone)}
      input="datetime-local"
      editable={editable}
    >
      {shown ??
        (task.dueAt ? (
          <Moment iso={task.dueAt} zone={zone} show="due" done={task.status === "completed"} />
        ) : (
          "No due date"
        ))}
    </InlineField>
  );
}

export function TagsField({ task, editable }: FieldProps) {
  const text = task.tags.length > 0 ? task.tags.map((t) => `#${t}`).join(" ") : "None";
  return (
    <InlineField
      task={task}
      field="tags"
      label="Tags (comma-separated)"
      text={text}
      initial={task.tags.join(", ")}
      editable={editable}
    />
  );
}
