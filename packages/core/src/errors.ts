/**
 * The closed set of domain failures. Transports map each code to one status (apps/api's
 * problem mapper, the MCP server's tool errors); nothing else decides what a failure means.
 */
export const domainErrorCodes = [
  "unauthenticated",
  "not_found",
  "forbidden",
  "conflict",
  "invalid_transition",
  "invalid_input",
  "last_owner",
  "precondition_failed",
] as const;
export type DomainErrorCode = (typeof domainErrorCodes)[number];

export interface FieldIssue {
  /** JSON pointer-like path of the offending field, e.g. `body.status`. */
  field: string;
  message: string;
}

export class DomainError extends Error {
  readonly code: DomainErrorCode;
  /** Facts a client can act on (allowed transitions, the current version, …). */
  readonly details: Record<string, unknown>;
  readonly issues: FieldIssue[];

  constructor(
    code: DomainErrorCode,
    message: string,
    options: { details?: Record<string, unknown>; issues?: FieldIssue[] } = {},
  ) {
    super(message);
    this.name = "DomainError";
    this.code = code;
    this.details = options.details ?? {};
    this.issues = options.issues ?? [];
  }
}

/** Another tenant's object, or one the caller may not see, is simply not found. */
export function notFound(what: string): DomainError {
  return new DomainError("not_found", `${what} not found`);
}

export function forbidden(message: string): DomainError {
  return new DomainError("forbidden", message);
}

export function invalidInput(field: string, message: string): DomainError {
  return new DomainError("invalid_input", message, { issues: [{ field, message }] });
}

export function unauthenticated(message: string): DomainError {
  return new DomainError("unauthenticated", message);
}

/** PostgreSQL's unique_violation, as raised by pg or PGlite (drizzle wraps it in `cause`). */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  for (let e: unknown = error; e && typeof e === "object"; e = (e as { cause?: unknown }).cause) {
    const fields = e as { code?: unknown; constraint?: unknown };
    if (fields.code === "23505") return constraint === undefined || fields.constraint === constraint;
  }
  return false;
}
