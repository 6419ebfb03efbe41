import { createHash } from "node:crypto";
import { claimIdempotencyKey, type RememberedAnswer, settleIdempotencyKey } from "@taskflow/core";
import type { MiddlewareHandler } from "hono";
import { matchedRoutes } from "hono/route";
import type { ApiEnvironment } from "../app-env.ts";
import { buildProblem, problemResponse } from "../problems/problem-response.ts";
import { oneTimeSecretAnswers, withoutSecrets } from "./one-time-secrets.ts";

/** The methods whose requests may carry an `Idempotency-Key` (the published document says so too). */
export const idempotentMethods = new Set(["POST", "PATCH", "PUT", "DELETE"]);
export const idempotencyKeyPattern = /^[\x21-\x7e]{1,255}$/;
const rememberedHeaders = ["content-type", "etag", "location"];

/**
 * `Idempotency-Key` on any creating or state-changing request: the first request does the work and
 * its answer is remembered; a retry with the same key, body and credential gets that answer again
 * (marked `Idempotent-Replayed: true`); the same key with another request answers 422. Server
 * failures (5xx) are not remembered, so a retry runs again. The answer is remembered per credential
 * (core's credential-key.ts): a replay skips the route, so it goes only to the credential the route
 * authorized. An answer carrying a one-time secret is remembered without it (secretShownOnce).
 */
export const idempotency: MiddlewareHandler<ApiEnvironment> = async (c, next) => {
  const key = c.req.header("idempotency-key");
  if (key === undefined || !idempotentMethods.has(c.req.method)) return next();
  // Only for a request a route will answer: an undeclared method gets its 405, whatever the key.
  const route = matchedRoutes(c).find((matched) => matched.method === c.req.method);
  if (!route) return next();
  if (!idempotencyKeyPattern.test(key)) {
    const error = { field: "header.idempotency-key", message: "1–255 visible ASCII characters" };
    return problemResponse(c, "invalid_request", {
      detail: `${error.field}: ${error.message}`,
      errors: [error],
    });
  }
  const body = await c.req.text();
  const requestHash = createHash("sha256")
    .update(`${c.req.method} ${c.req.path}\n`)
    .update(body)
    .digest("hex");
  const db = c.get("db");
  const actor = c.get("actor");

  const claim = await claimIdempotencyKey(db, actor, key, requestHash);
  if (claim.kind === "replay") {
    const { status, body: remembered, headers } = claim.answer;
    return new Response(status === 204 || remembered === null ? null : JSON.stringify(remembered), {
      status,
      headers: { ...headers, "idempotent-replayed": "true" },
    });
  }

  let answer: RememberedAnswer | null = null;
  try {
    await next();
    if (c.res.status < 500) {
      const text = await c.res.clone().text();
      const headers: Record<string, string> = {};
      for (const name of rememberedHeaders) {
        const value = c.res.headers.get(name);
        if (value) headers[name] = value;
      }
      answer = { status: c.res.status, body: text ? JSON.parse(text) : null, headers };
      const secrets = oneTimeSecretAnswers[`${c.req.method} ${route.path}`];
      if (secrets && answer.status < 300) answer = secretShownOnce(c.req.path, answer, secrets);
    }
  } finally {
    await settleIdempotencyKey(db, actor, key, answer);
  }
};

/**
 * What a replay of an answer carrying a one-time secret says: the secret was shown once and is not
 * kept (409), with the first answer's status and body without the secret, so the client learns what
 * was made (to rotate its secret) and nothing it could not see before.
 */
function secretShownOnce(
  path: string,
  answer: RememberedAnswer,
  secrets: readonly string[],
): RememberedAnswer {
  const problem = buildProblem("conflict", path, {
    detail:
      "The first request with this Idempotency-Key succeeded, but its answer carried a secret that is shown " +
      "only once and is not kept: firstAnswer is that answer without the secret. Rotate the secret to get a new one.",
    extensions: {
      secretShownOnce: true,
      firstAnswer: { status: answer.status, body: withoutSecrets(answer.body, secrets) },
    },
  });
  const headers: Record<string, string> = { "content-type": "application/problem+json" };
  if (answer.headers.location) headers.location = answer.headers.location;
  return { status: problem.status, body: problem, headers };
}
