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
