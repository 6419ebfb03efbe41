import { z } from "@hono/zod-openapi";
import { Problem } from "@taskflow/contracts";
import { type ProblemCode, problemTypes } from "../problems/problem-types.ts";

/** Every `/api` route accepts any kind of bearer credential (what each may do: README "Who may do what"). */
export const authenticated: Record<string, string[]>[] = [
  { accessToken: [] },
  { personalToken: [] },
  { agentKey: [] },
];

/** Routes that need a sign-in (an SSO access token): managing personal access tokens. */
export const signedIn: Record<string, string[]>[] = [{ accessToken: [] }];

export function jsonBody<T extends z.ZodType>(schema: T) {
  return { required: true, content: { "application/json": { schema } } };
}

/**
 * A JSON body whose every field is optional: it may be left out altogether (no body, or no JSON
 * content type), which the published document then says too.
 */
export function optionalJsonBody<T extends z.ZodType>(schema: T) {
  return { required: false, content: { "application/json": { schema } } };
}

export function jsonResponse<T extends z.ZodType>(schema: T, description: string) {
  return { description, content: { "application/json": { schema } } };
}

export const noContent = { description: "Done; nothing to return" };

const problemDescriptions: Partial<Record<number, string>> = {
  400: "A parameter or field is invalid (the `errors` list names each)",
  401: "No credential, or one that is invalid, expired, revoked or for another audience",
  403: "The caller's role does not allow this",
  404: "Not found in the caller's organization",
  409: "Conflicts with the current state",
  412: "The resource changed since it was read",
  422: "Well-formed but cannot be applied",
  429: "Rate limited; see Retry-After",
  503: "The database is not reachable right now; see Retry-After",
};

/** What any `/api` route may answer, whatever it does: too many requests, the database away. */
const everyRoute = [429, 503] as const;

/** Problem responses a route can give, documented once. */
export function problems(...statuses: (keyof typeof problemDescriptions)[]) {
  const known = new Set(Object.values(problemTypes).map((p) => p.status));
  return Object.fromEntries(
    [...new Set([...statuses, ...everyRoute])]
      .filter((s) => known.has(s as (typeof problemTypes)[ProblemCode]["status"]))
      .map((status) => [
        status,
        {
          description: problemDescriptions[status] ?? "Problem",
          content: { "application/problem+json": { schema: Problem } },
        },
      ]),
  );
}

/** `{id}` in a path: the project's or the task's id, as in the original TaskFlow API. */
export const IdParam = z.object({
  id: z.uuid().openapi({ param: { name: "id", in: "path" }, description: "Identifier (UUID)" }),
});
