// Calls to the TaskFlow API from the Next.js server, with the session's access token as Bearer.
import type { Worker, WorkerSummary } from "@taskflow/contracts";
import { redirect } from "next/navigation";
import { config } from "@/env";
import { type ApiClient, type ApiResult, createApiClient } from "./api-client";
import { pageData } from "./page-data";
import { readSession } from "./session";

export type { ApiResult } from "./api-client";

export { ApiProblem } from "./page-data";

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
 * For pages: the data; what the person may not see (404, 403, an id that is not one) shows the not-found page,
 * other problems the error boundary (page-data.ts). The answer is an HTTP 404 because no loading.tsx makes
 * pages stream: a streamed page has sent its 200 before it learns this.
 */
export async function apiGet<T>(path: string, returnTo?: string): Promise<T> {
  return pageData(await apiCall<T>(path, returnTo ? { returnTo } : {}));
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
