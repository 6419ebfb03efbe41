import { DateInput, Recurrence, RecurrencePattern, TaskPriority } from "@taskflow/contracts";
import { z } from "zod";

/** Input fields shared by several tools, each described for the agent reading the tool list. */
export const taskId = z.uuid().describe("The task's id (from taskflow_list_tasks or taskflow_get_task)");
export const projectId = z.uuid().describe("The project's id (from taskflow_list_projects)");
export const note = z
  .string()
  .trim()
  .min(1)
  .max(5000)
  .optional()
  .describe("A short note kept on the task's timeline");
export const expectedVersion = z
  .number()
  .int()
  .min(1)
  .optional()
  .describe("The task version you read; the change is refused if someone changed the task since");

// Fields of a task as an agent writes them (add, edit, delegate).
export const taskTitle = z
  .string()
  .trim()
  .min(1)
  .max(500)
  .describe("A short title saying what is to be done");
export const taskDescription = z
  .string()
  .max(20_000)
  .describe("What is to be done and what done looks like (Markdown)");
export const taskPriority = TaskPriority.describe("low, medium, high or critical");
export const taskTags = z
  .array(z.string().trim().min(1).max(50))
  .max(20)
  .describe('Labels to group and filter tasks by, e.g. ["backend"]');
/** Every date a tool takes is contracts' DateInput, the API's: the same format, the same years 1900 to 9999. */
export const dateInput = (description: string) =>
  DateInput.describe(`${description} (years 1900 to 9999, UTC)`);
export const dueAt = dateInput("When it is due: ISO 8601 with offset, e.g. 2026-12-01T17:00:00Z");
export const recurrence = z
  .strictObject({
    pattern: RecurrencePattern.describe(
      "How often a new occurrence is created once one completes: hourly, daily, weekdays, weekly, biweekly, monthly or yearly",
    ),
    max: Recurrence.shape.max.describe("Occurrences in all, the first included; null for no end"),
  })
  .describe("Makes the task repeat: the next occurrence is created when this one completes");

// Paging, as the API's lists page.
export const pageLimit = (max: number) =>
  z.number().int().min(1).max(max).default(20).describe(`How many items per page (1 to ${max}, default 20)`);
export const pageCursor = z
  .string()
  .min(1)
  .max(512)
  .optional()
  .describe("`nextCursor` from the previous page, to read the next one");
