// RFC 9457 problems from the API, turned into what a form or a board shows. Pure functions.
import type { Problem } from "@taskflow/contracts";

export type FieldErrors = Record<string, string>;

/** `errors[]` of a problem by form field: `body.title` → `title`, `body.tags.2` → `tags`. */
export function fieldErrors(problem: Pick<Problem, "errors"> | undefined): FieldErrors {
  const result: FieldErrors = {};
  for (const error of problem?.errors ?? []) {
    const parts = error.field.split(".").filter((part) => part !== "");
    const path = parts[0] === "body" || parts[0] === "query" || parts[0] === "param" ? parts.slice(1) : parts;
    const field = path.find((part) => !/^\d+$/.test(part)) ?? "form";
    result[field] = result[field] ? `${result[field]}; ${error.message}` : error.message;
  }
  return result;
}

const statusLabels: Record<string, string> = {
  pending: "Pending",
  in_progress: "In progress",
  review: "Review",
  completed: "Completed",
  blocked: "Blocked",
};
export function statusLabel(status: string): string {
  return statusLabels[status] ?? status;
}

/** One sentence a person can act on: the problem's detail, plus where the task may go instead. */
export function problemMessage(
  problem: Partial<Problem> | undefined,
  fallback = "Something went wrong.",
): string {
  if (!problem) return fallback;
  let message = problem.detail ?? problem.title ?? fallback;
  if (problem.allowed) {
    message +=
      problem.allowed.length > 0
        ? ` Allowed from here: ${problem.allowed.map(statusLabel).join(", ")}.`
        : " No move is allowed from here.";
  }
  return message;
}

/** Parses a response body as a problem when it is one. */
export function asProblem(status: number, body: unknown): Problem {
  if (body && typeof body === "object" && "status" in body && "title" in body) return body as Problem;
  return { type: "about:blank", title: `The API answered ${status}`, status, code: "unknown" };
}
