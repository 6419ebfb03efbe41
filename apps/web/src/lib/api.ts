// Calls to the TaskFlow API from the Next.js server, with the session's access token as Bearer.
import type { Problem } from "@taskflow/contracts";
import { redirect } from "next/navigation";
import { config } from "@/env";
import { asProblem } from "./problem";
import { readSession } from "./session";

export class ApiProblem extends Error {
  readonly problem: Problem;
  constructor(problem: Problem) {
    super(problem.detail ?? problem.title);
    this.name = "ApiProblem";
    this.problem = problem;
  }
}

export type ApiResult<T> = { ok: true; data: T } | { ok: false; problem: Problem };

/** One API call. A missing or refused session sends the person to sign in; other problems are returned. */
export async function apiCall<T>(
  path: string,
  init: { method?: string; body?: unknown; returnTo?: string } = {},
): Promise<ApiResult<T>> {
  const session = await readSession();
  const signIn = `/api/auth/login?returnTo=${encodeURIComponent(init.returnTo ?? "/projects")}`;
  if (!session) redirect(signIn);
  const response = await fetch(`${config().apiUrl}${path}`, {
    method: init.method ?? "GET",
    headers: {
      authorization: `Bearer ${session.accessToken}`,
      accept: "application/json",
      ...(init.body !== undefined ? { "content-type": "application/json" } : {}),
    },
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
    cache: "no-store",
  });
  if (response.status === 401) redirect(signIn);
  const text = await response.text();
  const body: unknown = text ? JSON.parse(text) : undefined;
  if (!response.ok) return { ok: false, problem: asProblem(response.status, body) };
  return { ok: true, data: body as T };
}

/** For pages: the data, or an error boundary with the API's explanation. */
export async function apiGet<T>(path: string, returnTo?: string): Promise<T> {
  const result = await apiCall<T>(path, returnTo ? { returnTo } : {});
  if (!result.ok) throw new ApiProblem(result.problem);
  return result.data;
}
