// Form fields → the API's request bodies. Pure functions; the API validates, these only shape.
import { canonicalTimeZone } from "@taskflow/contracts";
import { fromZonedField, toZonedField } from "./time-zone";

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
 * A due date from a `datetime-local` field, read in `zone` (the person's; UTC when the form names none). Empty →
 * null; anything unreadable is passed on as typed so the API names the field.
 */
export function dueFromField(value: string, zone = "UTC"): string | null {
  return fromZonedField(value, zone);
}

/** An ISO timestamp as a `datetime-local` value in `zone` ("2026-05-01T09:30"). */
export function dueToField(iso: string | null | undefined, zone = "UTC"): string {
  return toZonedField(iso, zone);
}

/**
 * The zone a task form's dates were typed in: its hidden `timeZone` field (the zone the form was shown in), UTC
 * when it has none. A value that is not a zone is null: the due date then goes to the API as typed, without an
 * offset, and the API refuses it naming `dueAt` rather than the dashboard guessing an instant.
 */
export function formTimeZone(form: FormData): string | null {
  const value = text(form, "timeZone").trim();
  return value ? canonicalTimeZone(value) : "UTC";
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
    dueAt: dueInForm(form),
    recurrence: recurrenceFromFields(text(form, "recurrencePattern"), text(form, "recurrenceMax")),
  };
}

function dueInForm(form: FormData): string | null {
  const zone = formTimeZone(form);
  const typed = text(form, "dueAt");
  return zone ? dueFromField(typed, zone) : typed.trim() || null;
}
