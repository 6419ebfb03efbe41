import type { ApiApp } from "../app-env.ts";
import { idempotencyKeyPattern, idempotentMethods } from "../idempotency/idempotency.ts";

type OpenApiDocument = ReturnType<ApiApp["getOpenAPI31Document"]>;
type PathItem = NonNullable<OpenApiDocument["paths"]>[string];
type Operation = NonNullable<PathItem["post"]>;
type Responses = NonNullable<Operation["responses"]>;

const methods = ["get", "put", "post", "delete", "patch"] as const;

const problemContent = { "application/problem+json": { schema: { $ref: "#/components/schemas/Problem" } } };

export const idempotencyKeyParameter = {
  name: "Idempotency-Key",
  in: "header" as const,
  required: false,
  description:
    "Makes a retry safe: the first request with this key does the work and its answer is kept for 24 h; " +
    "a retry with the same key, method, path, body and credential gets that answer again (with " +
    "`Idempotent-Replayed: true`); the same key with another request answers 422, and while the first " +
    "is still running, 409. An answer carrying a secret shown once (an agent key, a personal access " +
    "token, a webhook secret) is kept without it: its retry answers 409 with `secretShownOnce: true` " +
    "and `firstAnswer` (status and body without the secret).",
  schema: { type: "string" as const, pattern: idempotencyKeyPattern.source },
};

function addProblem(responses: Responses, status: string, description: string): void {
  const existing = responses[status];
  if (!existing) responses[status] = { description, content: problemContent };
  else if ("description" in existing && !existing.description.includes(description)) {
    existing.description = `${existing.description}; or ${description.charAt(0).toLowerCase()}${description.slice(1)}`;
  }
}

/**
 * Middleware on `/api/*` changes what every route may receive and answer, whatever the route
 * file says: the `Idempotency-Key` header on every changing method (idempotency.ts) and the body
 * limit on every route that takes a body (app.ts). Declared here from the same rules, so a route
 * added later is described truthfully without repeating them in its file.
 */
export function documentApiMiddleware(document: OpenApiDocument, maxBodyBytes: number): OpenApiDocument {
  for (const [path, item] of Object.entries(document.paths ?? {})) {
    if (!path.startsWith("/api/")) continue;
    for (const method of methods) {
      const operation = item[method];
      if (!operation) continue;
      const responses: Responses = operation.responses ?? {};
      if (idempotentMethods.has(method.toUpperCase())) {
        operation.parameters = [...(operation.parameters ?? []), idempotencyKeyParameter];
        addProblem(responses, "400", "The Idempotency-Key is not 1–255 visible ASCII characters");
        addProblem(responses, "409", "The first request with this Idempotency-Key is still running");
        addProblem(responses, "422", "This Idempotency-Key was used with another method, path or body");
      }
      if (operation.requestBody) {
        addProblem(responses, "413", `The body is larger than ${maxBodyBytes} bytes`);
      }
      operation.responses = Object.fromEntries(
        Object.entries(responses).sort(([a], [b]) => a.localeCompare(b)),
      );
    }
  }
  return document;
}
