import { isDateOutOfRangeIssue } from "@taskflow/contracts";
import type { Context } from "hono";
import type { ZodError } from "zod";
import { problemResponse } from "./problem-response.ts";

const targetNames: Record<string, string> = { json: "body", query: "query", param: "path", header: "header" };

/**
 * Turns a failed request validation into a 400 problem naming each wrong field (`body.title`). When the
 * only fault is a well-formed date outside the years every date input may have (contracts' DateInput),
 * the request is well-formed but cannot be applied: 422, as the domain answers it.
 */
export function validationHook(
  result: { target: string } & ({ success: true } | { success: false; error: ZodError }),
  c: Context,
): Response | undefined {
  if (result.success) return undefined;
  const prefix = targetNames[result.target] ?? result.target;
  const errors = result.error.issues.map((issue) => ({
    field: [prefix, ...issue.path.map(String)].join("."),
    message: describeIssue(issue),
  }));
  const onlyDatesOutOfRange = result.error.issues.every(isDateOutOfRangeIssue);
  return problemResponse(c, onlyDatesOutOfRange ? "invalid_input" : "invalid_request", {
    detail: errors.map((e) => `${e.field}: ${e.message}`).join("; "),
    errors,
  });
}

function describeIssue(issue: ZodError["issues"][number]): string {
  if (issue.code === "unrecognized_keys") return `unknown field(s): ${fieldNames(issue.keys)}`;
  return issue.message;
}

/**
 * Unknown field names as the caller sent them, when they look like field names; anything else (a
 * long token pasted as a key, say) is counted, never echoed: an error body repeats no credential.
 */
function fieldNames(keys: string[]): string {
  const shown = keys.filter((k) => /^[A-Za-z_$][\w$.-]{0,39}$/.test(k));
  const hidden = keys.length - shown.length;
  return [...shown, ...(hidden > 0 ? [`${hidden} more not shown (not a plain field name)`] : [])].join(", ");
}
