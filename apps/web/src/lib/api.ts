// Calls to the TaskFlow API from the Next.js server, with the session's access token as Bearer.
import type { Problem, Worker, WorkerSummary } from "@taskflow/contracts";
import { notFound, redirect } from "next/navigation";
import { config } from "@/env";
import { type ApiClient, type ApiResult, createApiClient } from "./api-client";
import { readSession } from "./session";

export type { ApiResult } from "./api-client";

export class ApiProblem extends Error {
  readonly problem: Problem;
  constructor(problem: Problem) {
    super(problem.detail ?? problem.title);
    this.name = "ApiProblem";
    this.problem = problem;
  }
}

/** The API as the signed-in person; no session (or a refused token) sends them to sign in. */
export async function sessionApi(returnTo = "/"): Promise<ApiClient> {
  const session = await readSession();
  const signIn = `/api/auth/login?returnTo=${encodeURIComponent(returnTo)}`;
  if (!session) redirect(signIn);
  return createApiClient(config().apiUrl, session.accessToken, () => redirect(signIn));
}

/** One API call. A missing or refused session sends the person to sign in; other problems are returned. */
export async function apiCall<T>(
  path: string,
  init: { method?: string; body?: unknown; returnTo?: string } = {},
): Promise<ApiResult<T>> {
  const api = await sessionApi(init.returnTo ?? "/");
  return api.call<T>(path, {
    ...(init.method ? { method: init.method } : {}),
    ...(init.body !== undefined ? { body: init.body } : {}),
  });
}

/**
 * For pages: the data; 404 shows the not-found page, other problems the error boundary. An id in the page's
 * address that is not even an id (the API's 400 naming a path parameter) is not found either. The answer is an
 * HTTP 404 because no loading.tsx makes pages stream: a streamed page has sent its 200 before it learns this.
 */
export async function apiGet<T>(path: string, returnTo?: string): Promise<T> {
  const result = await apiCall<T>(path, returnTo ? { returnTo } : {});
  if (!result.ok) {
    if (result.status === 404 || isBadPathParameter(result.status, result.problem)) notFound();
    throw new ApiProblem(result.problem);
  }
  return result.data;
}

function isBadPathParameter(status: number, problem: Problem): boolean {
  return status === 400 && (problem.errors ?? []).some((error) => error.field.startsWith("path."));
}

/** The data, or `fallback` when the API refuses (for the optional parts of a page). */
export async function apiGetOr<T>(path: string, fallback: T, returnTo?: string): Promise<T> {
  const result = await apiCall<T>(path, returnTo ? { returnTo } : {});
  return result.ok ? result.data : fallback;
}

/** The organization's people and agents by id, for naming actors in activity. */
export async function workersById(returnTo?: string): Promise<Map<string, WorkerSummary>> {
  const workers = await apiGetOr<Worker[]>("/api/workers?includeDeleted=true", [], returnTo);
  return new Map(workers.map((w) => [w.id, { id: w.id, kind: w.kind, handle: w.handle, name: w.name }]));
}
