import type { DomainErrorCode } from "@taskflow/core";

/**
 * The closed table of answers the API gives when something is wrong: one code, one status,
 * one title. Domain errors map through it; so do the transport's own failures.
 */
export const problemTypes = {
  invalid_request: { status: 400, title: "The request is not valid" },
  unauthenticated: { status: 401, title: "Authentication required" },
  forbidden: { status: 403, title: "Not allowed" },
  not_found: { status: 404, title: "Not found" },
  method_not_allowed: { status: 405, title: "Method not allowed" },
  conflict: { status: 409, title: "Conflict with the current state" },
  invalid_transition: { status: 409, title: "Status change not allowed" },
  last_owner: { status: 409, title: "A project needs an owner" },
  precondition_failed: { status: 412, title: "The resource has changed" },
  payload_too_large: { status: 413, title: "Request body too large" },
  unsupported_media_type: { status: 415, title: "Unsupported media type" },
  invalid_input: { status: 422, title: "The request cannot be applied" },
  rate_limited: { status: 429, title: "Too many requests" },
  internal: { status: 500, title: "Internal error" },
  unavailable: { status: 503, title: "Service unavailable" },
} as const satisfies Record<DomainErrorCode | string, { status: number; title: string }>;

export type ProblemCode = keyof typeof problemTypes;

export function problemTypeUri(code: ProblemCode): string {
  return `https://taskflow.dev/problems/${code.replaceAll("_", "-")}`;
}
