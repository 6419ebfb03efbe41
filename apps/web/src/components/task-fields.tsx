import type { Task, WorkerSummary } from "@taskflow/contracts";
import type { FieldErrors } from "@/lib/problem";
import { toZonedField } from "@/lib/time-zone";
import { AssigneeSelect } from "./assignee-select";
import { Field, inputClass } from "./field";
import { MarkdownWrite } from "./markdown-write";
import { useTimeZone } from "./time-zone-context";

const patterns = ["hourly", "daily", "weekdays", "weekly", "biweekly", "monthly", "yearly"] as const;

/** The fields of a task shared by the create and edit forms (ids prefixed so two forms can share a page). */
export function TaskFields({
  prefix = "",
  task,
  members,
  errors,
}: {
  prefix?: string;
  task?: Task;
  members: WorkerSummary[];
  errors: FieldErrors;
}) {
  const id = (name: string) => `${prefix}${name}`;
  // The person's zone: the field shows and takes its wall clock; the action converts with the hidden zone.
  const zone = useTimeZone();
  const invalid = (name: string) =>
    errors[name] ? { "aria-invalid": true, "aria-describedby": `${id(name)}-error` } : {};
  return (
    <>
      <Field label="Title" name={id("title")} error={errors.title} required>
        <input
          id={id("title")}
          name="title"
          required
          maxLength={500}
          defaultValue={task?.title}
          className={inputClass}
          {...invalid("title")}
        />
      </Field>
      <Field label="Description" name={id("description")} error={errors.description}>
        <MarkdownWrite members={members}>
          <textarea
            id={id("description")}
            name="description"
            rows={3}
            defaultValue={task?.description}
            className={inputClass}
            {...invalid("description")}
          />
        </MarkdownWrite>
      </Field>
      <div className="grid gap-3 sm:grid-cols-2">
        <Field label="Priority" name={id("priority")} error={errors.priority}>
          <select
            id={id("priority")}
            name="priority"
            defaultValue={task?.priority ?? "medium"}
            className={inputClass}
          >
            <option value="low">Low</option>
            <option value="medium">Medium</option>
            <option value="high">High</option>
            <option value="critical">Critical</option>
          </select>
        </Field>
        <Field label={`Due (${zone})`} name={id("dueAt")} error={errors.dueAt}>
          <input
            id={id("dueAt")}
            name="dueAt"
            type="datetime-local"
            defaultValue={toZonedField(task?.dueAt, zone)}
            className={inputClass}
            {...invalid("dueAt")}
          />
          <input type="hidden" name="timeZone" value={zone} />
        </Field>
        <Field label="Assignee" name={id("assigneeId")} error={errors.assigneeId}>
          <AssigneeSelect id={id("assigneeId")} members={members} defaultValue={task?.assignee?.id ?? ""} />
        </Field>
        <Field label="Tags (comma-separated)" name={id("tags")} error={errors.tags}>
          <input
            id={id("tags")}
            name="tags"
            defaultValue={task?.tags.join(", ")}
            className={inputClass}
            {...invalid("tags")}
          />
        </Field>
        <Field label="Repeats" name={id("recurrencePattern")} error={errors.recurrence}>
          <select
            id={id("recurrencePattern")}
            name="recurrencePattern"
            defaultValue={task?.recurrence?.pattern ?? ""}
            className={inputClass}
          >
            <option value="">Does not repeat</option>
            {patterns.map((p) => (
              <option key={p} value={p}>
                {p}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Occurrences in all (empty: no end)" name={id("recurrenceMax")}>
          <input
            id={id("recurrenceMax")}
            name="recurrenceMax"
            type="number"
            min={1}
            max={1000}
            defaultValue={task?.recurrence?.max ?? ""}
            className={inputClass}
          />
        </Field>
      </div>
    </>
  );
}
