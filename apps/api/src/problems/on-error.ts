import { clientFailureOf, DomainError, insufficientScopeOf, recordScopeDenial } from "@taskflow/core";
import { SigningKeysUnavailableError } from "@taskflow/resource-auth";
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ApiEnvironment } from "../app-env.ts";
import { problemResponse } from "./problem-response.ts";
import type { ProblemCode } from "./problem-types.ts";

const statusCodes: Record<number, ProblemCode> = {
  400: "invalid_request",
  401: "unauthenticated",
  403: "forbidden",
  404: "not_found",
  405: "method_not_allowed",
  413: "payload_too_large",
  415: "unsupported_media_type",
  429: "rate_limited",
  503: "unavailable",
};

/**
 * RFC 6750's challenge: on 401, and on a token refused for its scope (`insufficient_scope` naming the
 * scope it needs, so a client can ask for it).
 */
function bearerChallenge(error: DomainError): { headers?: Record<string, string> } {
  if (error.code === "unauthenticated") return { headers: { "www-authenticate": 'Bearer realm="taskflow"' } };
  const refused = insufficientScopeOf(error);
  if (!refused) return {};
  return {
    headers: {
      "www-authenticate": `Bearer realm="taskflow", error="insufficient_scope", scope="${refused.requiredScope}"`,
    },
  };
}

/**
 * The one place a thrown error becomes an answer. What a client may learn is core's clientFailureOf
 * (the MCP server asks it too): a refusal as written, a database outage as 503, anything else, a
 * database error above all, logged and never shown. An agent key refused for its scope is audited
 * here, after the request's own transaction rolled back.
 */
export async function onError(error: Error, c: Context<ApiEnvironment>): Promise<Response> {
  if (error instanceof HTTPException) {
    const code = statusCodes[error.status] ?? "invalid_request";
    return problemResponse(c, code, { detail: error.message || undefined });
  }
  if (error instanceof SigningKeysUnavailableError) {
    c.var.logger?.warn({ err: error }, "the SSO's signing keys cannot be fetched");
    return problemResponse(c, "unavailable", {
      detail: "the identity provider cannot be reached to check the token; try again shortly",
      headers: { "retry-after": "5" },
    });
  }
  const failure = clientFailureOf(error);
  if (failure.kind === "refused") {
    if (!(error instanceof DomainError)) c.var.logger?.warn({ err: error }, "bad input reached the database");
    return refusal(failure.error, c);
  }
  if (failure.kind === "unavailable") {
    c.var.logger?.warn({ err: error }, "database unavailable");
    return problemResponse(c, "unavailable", {
      detail: "the database is not reachable; try again shortly",
      headers: { "retry-after": "5" },
    });
  }
  c.var.logger?.error({ err: error }, "unhandled error");
  return problemResponse(c, "internal", { detail: "an unexpected error happened; it has been logged" });
}

async function refusal(error: DomainError, c: Context<ApiEnvironment>): Promise<Response> {
  if (c.var.actor && c.var.db) {
    await recordScopeDenial(c.var.db, c.var.actor, error).catch((auditError: unknown) =>
      c.var.logger?.error({ err: auditError }, "could not audit a refused key use"),
    );
  }
  return problemResponse(c, error.code, {
    detail: error.message,
    errors: error.issues,
    extensions: error.details,
    ...bearerChallenge(error),
  });
}
