// Form fields → the API's request bodies. Pure functions; the API validates, these only shape.
export function text(form: FormData, name: string): string {
  const value = form.get(name);
  return typeof value === "string" ? value : "";
}

/** "a, b,,c " → ["a", "b", "c"] (duplicates kept out). */
export function commaList(value: string): string[] {
  return [
    ...new Set(
      value
        .split(",")
        .map((item) => item.trim())
        .filter(Boolean),
    ),
  ];
}

/**
 * A due date from a `datetime-local` field, read as UTC (the dashboard shows due dates in UTC). Empty → null;
 * anything unreadable is passed on as typed so the API names the field.
 */
export function dueFromField(value: string): string | null {
  const trimmed = value.trim();
  if (!trimmed) return null;
  const parsed = Date.parse(/[zZ]|[+-]\d\d:\d\d$/.test(trimmed) ? trimmed : `${trimmed}Z`);
  return Number.isNaN(parsed) ? trimmed : new Date(parsed).toISOString();
}

/** An ISO timestamp as a `datetime-local` value in UTC ("2026-05-01T09:30"). */
export function dueToField(iso: string | null | undefined): string {
  return iso ? new Date(iso).toISOString().slice(0, 16) : "";
}

/** A recurrence from its two fields: no pattern → none; max empty → no end. */
export function recurrenceFromFields(
  pattern: string,
  max: string,
): { pattern: string; max: number | null } | null {
  if (!pattern) return null;
  const count = max.trim() === "" ? null : Number(max);
  return { pattern, max: count === null || Number.isNaN(count) ? null : count };
}

/** The fields shared by the create and edit forms of a task. */
export function taskFields(form: FormData) {
  return {
    title: text(form, "title"),
    description: text(form, "description"),
    priority: text(form, "priority") || "medium",
    tags: commaList(text(form, "tags")),
    dueAt: dueFromField(text(form, "dueAt")),
    recurrence: recurrenceFromFields(text(form, "recurrencePattern"), text(form, "recurrenceMax")),
  };
}
