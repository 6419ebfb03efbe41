import { describe, expect, it } from "vitest";
import { clientFailureOf } from "./client-failure.ts";
import { DomainError } from "./errors.ts";

/** An error as Drizzle throws it: its own message is the statement and parameters, the driver's is its cause. */
function drizzleError(code: string, message: string): Error {
  const driver = Object.assign(new Error(message), { code });
  return new Error(`Failed query: select "id" from "tasks" where "id" = $1\\nparams: not-a-uuid`, {
    cause: driver,
  });
}

describe("what a client may learn from an error", () => {
  it("passes a refusal written for clients as it is", () => {
    const refusal = new DomainError("conflict", "held by someone else");
    expect(clientFailureOf(refusal)).toEqual({ kind: "refused", error: refusal });
  });

  it("reads a malformed uuid that reached the database as an id that names nothing", () => {
    const failure = clientFailureOf(
      drizzleError("22P02", 'invalid input syntax for type uuid: "not-a-uuid"'),
    );
    expect(failure.kind).toBe("refused");
    expect(failure.kind === "refused" && [failure.error.code, failure.error.message]).toEqual([
      "not_found",
      "resource not found",
    ]);
  });

  it("reads any other value PostgreSQL cannot hold as invalid input, saying nothing of the database", () => {
    for (const [code, message] of [
      ["22008", 'date/time field value out of range: "0000-01-01"'],
      ["22007", 'invalid input syntax for type timestamp with time zone: "x"'],
      ["22003", "value out of range for type integer"],
      ["22P02", 'invalid input syntax for type integer: "x"'],
    ] as const) {
      const failure = clientFailureOf(drizzleError(code, message));
      expect(failure.kind, code).toBe("refused");
      if (failure.kind !== "refused") continue;
      expect(failure.error.code, code).toBe("invalid_input");
      expect(failure.error.message).not.toMatch(/select|params|syntax|type|range: "/);
    }
  });

  it("tells an outage from a bug, and tells nothing of a bug", () => {
    expect(
      clientFailureOf(
        Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" }),
      ),
    ).toEqual({ kind: "unavailable" });
    expect(clientFailureOf(drizzleError("42703", 'column "nope" does not exist'))).toEqual({
      kind: "internal",
    });
    expect(clientFailureOf(new TypeError("undefined is not a function"))).toEqual({ kind: "internal" });
  });
});
