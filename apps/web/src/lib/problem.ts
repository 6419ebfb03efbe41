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
    const message = plainFieldMessage(error.message);
    const said = result[field];
    // Spaces alone break two rules (not blank, at least one character): a person needs to hear it once.
    if (
      said
        ?.split("; ")
        .some((m) => m === message || (m.startsWith("Required") && message.startsWith("Required")))
    )
      continue;
    result[field] = said ? `${said}; ${message}` : message;
  }
  return result;
}

// The API words a field error the way its validator does ("Too small: expected string to have >=1
// characters"); beside a form field a person reads what to do.
const plainWords: [RegExp, (match: RegExpExecArray) => string][] = [
  [/^Too small: expected string to have >=1 characters?$/, () => "Required."],
  [/^Invalid input: expected \w+, received undefined$/, () => "Required."],
  [/^must not be blank/, () => "Required: more than spaces."],
  [/^Too small: expected string to have >=(\d+) characters$/, (m) => `At least ${m[1]} characters.`],
  [/^Too big: expected string to have <=(\d+) characters$/, (m) => `At most ${m[1]} characters.`],
  [/^Too big: expected array to have <=(\d+) items$/, (m) => `At most ${m[1]}.`],
];

/** A field error as a person reads it; a message the API wrote for people stays as it is. */
export function plainFieldMessage(message: string): string {
  for (const [pattern, words] of plainWords) {
    const match = pattern.exec(message);
    if (match) return words(match);
  }
  return message;
}

/**
 * The sentence above a form when a change is refused. When the problem names fields, each field shows its
 * own error, so the sentence points at them instead of saying the same words a second time.
 */
export function formMessage(
  message: string | undefined,
  errors: FieldErrors | undefined,
): string | undefined {
  const marked = Object.keys(errors ?? {}).filter((field) => field !== "form");
  if (marked.length === 0) return message;
  return marked.length === 1 ? "Check the marked field." : "Check the marked fields.";
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

/** What each project permission lets a person do, and the least role that has it (the API's table). */
const permissions: Record<string, { doing: string; role: string }> = {
  "project.read": { doing: "seeing this project", role: "viewer" },
  "audit.read": { doing: "reading the activity", role: "viewer" },
  "task.create": { doing: "creating tasks", role: "member" },
  "task.work": { doing: "editing, moving and assigning tasks", role: "member" },
  "task.comment": { doing: "commenting", role: "member" },
  "task.delete_own": { doing: "deleting your own tasks", role: "member" },
  "task.delete_any": { doing: "deleting other people's tasks", role: "admin" },
  "task.review": { doing: "approving or rejecting tasks in review", role: "admin" },
  "project.update": { doing: "editing the project", role: "admin" },
  "member.manage": { doing: "managing members", role: "admin" },
  "project.delete": { doing: "deleting the project", role: "owner" },
  "member.manage_owners": { doing: "granting or taking away the owner role", role: "owner" },
};

/** The API's "your role in this project (member) does not allow task.review" as advice a person can follow. */
export function explainForbidden(detail: string): string | undefined {
  const match = /your role in this project \((\w+)\) does not allow ([a-z_.]+)/.exec(detail);
  if (!match) return undefined;
  const [, role, permission] = match;
  const known = permissions[permission ?? ""];
  if (!known) return undefined;
  const who =
    known.role === "owner" ? "an owner" : `${known.role === "admin" ? "an" : "a"} ${known.role} or above`;
  return `You are a ${role} of this project; ${known.doing} takes ${who}. Ask a project owner or admin to do it or to change your role.`;
}

/** One sentence a person can act on: the problem's detail, plus where the task may go instead. */
export function problemMessage(
  problem: Partial<Problem> | undefined,
  fallback = "Something went wrong.",
): string {
  if (!problem) return fallback;
  let message = problem.detail ?? problem.title ?? fallback;
  if (problem.status === 403 && problem.detail) message = explainForbidden(problem.detail) ?? message;
  if (problem.status === 412) {
    message =
      "Someone changed this task since you opened it. Reload the page to see their change, then try again.";
  }
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
