import type { Problem } from "@taskflow/contracts";
import type { Context } from "hono";
import { type ProblemCode, problemTypes, problemTypeUri } from "./problem-types.ts";

export interface ProblemInput {
  detail?: string;
  errors?: { field: string; message: string }[];
  extensions?: Record<string, unknown>;
  headers?: Record<string, string>;
}

export function buildProblem(code: ProblemCode, instance: string, input: ProblemInput = {}): Problem {
  const { status, title } = problemTypes[code];
  return {
    type: problemTypeUri(code),
    title,
    status,
    code,
    instance,
    ...(input.detail ? { detail: input.detail } : {}),
    ...(input.errors?.length ? { errors: input.errors } : {}),
    ...input.extensions,
  };
}

/** An RFC 9457 `application/problem+json` answer. */
export function problemResponse(c: Context, code: ProblemCode, input: ProblemInput = {}): Response {
  const body = buildProblem(code, new URL(c.req.url).pathname, input);
  return new Response(JSON.stringify(body), {
    status: body.status,
    headers: { "content-type": "application/problem+json", ...input.headers },
  });
}
