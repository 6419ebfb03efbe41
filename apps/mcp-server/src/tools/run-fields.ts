import { activityBodyMax, ChoiceValue } from "@taskflow/contracts";
import { DomainError, type FieldIssue } from "@taskflow/core";
import { z } from "zod";

// Fields of the run tools, each described for the agent reading the tool list.

export const runId = z
  .uuid()
  .optional()
  .describe("Your run (from a dispatch, taskflow_heartbeat's runId, or an earlier call); or give taskId");
export const runTaskId = z
  .uuid()
  .optional()
  .describe("The task you work on: your run on it is used (opened if you have none)");
export const markdown = (what: string) =>
  z.string().max(activityBodyMax).describe(`${what} (Markdown, at most ${activityBodyMax} characters)`);
export const choices = z
  .array(
    z.object({
      value: ChoiceValue.describe(
        "What the answer carries when this choice is picked (letters, digits, _ . : -)",
      ),
      label: z.string().max(200).describe("What the button says"),
    }),
  )
  .min(2)
  .max(20)
  .describe(
    'Offered answers, shown as buttons, e.g. [{"value":"pg","label":"PostgreSQL"}]; leave out for free text',
  );
export const selected = z.array(ChoiceValue).min(1).max(20);

/**
 * Checks a tool's arguments against the API's own schema of an activity, so the MCP tools accept exactly what
 * REST does (sizes, unsafe characters, choices): a refusal names each field, as the API's 400 does.
 */
export function parseAs<T extends z.ZodType>(schema: T, value: unknown): z.infer<T> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issues: FieldIssue[] = parsed.error.issues.map((issue) => ({
    field: issue.path.join(".") || "arguments",
    message: issue.message,
  }));
  throw new DomainError("invalid_input", `invalid arguments: ${issues.map((i) => i.field).join(", ")}`, {
    issues,
  });
}

/** Leaves out what the caller did not give, so the schema's defaults apply. */
export function given<T extends Record<string, unknown>>(fields: T): Partial<T> {
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as Partial<T>;
}
