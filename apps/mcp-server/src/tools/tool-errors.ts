import type { CallToolResult } from "@modelcontextprotocol/server";
import { clientFailureOf, type DomainError } from "@taskflow/core";

const hints: Partial<Record<DomainError["code"], string>> = {
  not_found: "Check the id: taskflow_list_projects and taskflow_list_tasks show what you can see.",
  forbidden: "Your role or key does not allow this; ask a project admin, or leave it to a person.",
  invalid_input: "Fix the named fields and call again.",
  conflict: "Someone else changed or holds this; read it again with taskflow_get_task before retrying.",
  precondition_failed:
    "The task changed since you read it: call taskflow_get_task and retry with its current version.",
  last_owner: "Make someone else an owner first.",
  unauthenticated: "Your credential is no longer valid; get a new key or token.",
};

/**
 * A failure as a tool result the agent can act on: what went wrong and what to try next. What it may
 * say is core's clientFailureOf, as for the API: a refusal as written, an outage, or only that an
 * internal error happened (never a database's text).
 */
export function toolErrorResult(error: unknown): CallToolResult {
  const failure = clientFailureOf(error);
  if (failure.kind === "unavailable") {
    // Over stdio the call says so, and that trying again later will do; over HTTP the request is answered
    // 503 instead (ToolContext.onUnavailable).
    return {
      isError: true,
      content: [
        {
          type: "text",
          text:
            "TaskFlow's database cannot be reached right now. Try again in a few seconds; " +
            "before repeating a change, read the task again (taskflow_get_task) in case it went through.",
        },
      ],
    };
  }
  if (failure.kind === "internal") {
    return {
      isError: true,
      content: [
        {
          type: "text",
          text: "TaskFlow could not complete this call because of an internal error. Try again later.",
        },
      ],
    };
  }
  return refusalResult(failure.error);
}

function refusalResult(error: DomainError): CallToolResult {
  const lines = [error.message];
  const allowed = error.details.allowed;
  if (error.code === "invalid_transition" && Array.isArray(allowed)) {
    lines.push(
      allowed.length > 0
        ? `From here the task can move to: ${allowed.join(", ")}.`
        : "No status change is allowed from here.",
    );
  } else if (typeof error.details.next === "string") {
    // The domain knows better than the generic hint what to do next (e.g. a heartbeat on handed-in work).
    lines.push(error.details.next);
  } else if (hints[error.code]) {
    lines.push(hints[error.code] as string);
  }
  for (const issue of error.issues) lines.push(`${issue.field}: ${issue.message}`);
  if (typeof error.details.heldBy === "object" && error.details.heldBy) {
    lines.push(`Held by ${JSON.stringify(error.details.heldBy)}.`);
  }
  return {
    isError: true,
    content: [{ type: "text", text: lines.join("\n") }],
  };
}
