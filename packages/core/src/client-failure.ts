import { isDatabaseUnavailable } from "./database-unavailable.ts";
import { DomainError, notFound } from "./errors.ts";

/** What a client may learn from a failure: a refusal written for it, an outage, or nothing. */
export type ClientFailure =
  | { kind: "refused"; error: DomainError }
  | { kind: "unavailable" }
  | { kind: "internal" };

/**
 * The one mapping from an error to what a client is told, asked by every transport: the API's error
 * handler, the MCP server's tool errors and resource reads. A database error never passes as it is:
 * Drizzle's message is the statement and its parameters ("Failed query: select … params: …"), and
 * PostgreSQL's names tables, columns and the values sent.
 *
 * - A DomainError is written for clients: its code, message and details pass.
 * - A database that cannot be reached is `unavailable` (try again shortly).
 * - A value PostgreSQL cannot read as a uuid (22P02) was a malformed id: it names nothing, so not found.
 * - Any other value PostgreSQL cannot read or hold (class 22, data exception: a date out of range, a
 *   number too large) was bad input the edge should have refused: invalid input, saying no more.
 * - Anything else is internal: the transport logs it (errorForLog) and says only that it happened.
 */
export function clientFailureOf(error: unknown): ClientFailure {
  if (error instanceof DomainError) return { kind: "refused", error };
  if (isDatabaseUnavailable(error)) return { kind: "unavailable" };
  const database = databaseErrorOf(error);
  if (database?.code === "22P02" && /\buuid\b/i.test(database.message)) {
    return { kind: "refused", error: notFound("resource") };
  }
  if (database?.code.startsWith("22")) {
    return {
      kind: "refused",
      error: new DomainError("invalid_input", "a value in the request is malformed or out of range"),
    };
  }
  return { kind: "internal" };
}

/** The PostgreSQL error in a chain of causes (Drizzle wraps the driver's), by its SQLSTATE. */
function databaseErrorOf(error: unknown): { code: string; message: string } | null {
  for (let e: unknown = error; e && typeof e === "object"; e = (e as { cause?: unknown }).cause) {
    const { code, message } = e as { code?: unknown; message?: unknown };
    if (typeof code === "string" && /^[0-9A-Z]{5}$/.test(code)) {
      return { code, message: typeof message === "string" ? message : "" };
    }
  }
  return null;
}
