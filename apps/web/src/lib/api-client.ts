// A plain client of the TaskFlow API: base URL + bearer token → typed results. No Next.js, so the dashboard's
// mutations (src/lib/mutations.ts) run the same way in the server actions and in tests against a real API.
import type { Problem } from "@taskflow/contracts";
import { asProblem } from "./problem";

export type ApiResult<T> = { ok: true; data: T } | { ok: false; status: number; problem: Problem };

export interface ApiRequest {
  method?: string;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface ApiClient {
  call<T>(path: string, init?: ApiRequest): Promise<ApiResult<T>>;
}

/** Thrown by `onUnauthorized` hooks that leave the request (Next's redirect does), never returned. */
export function createApiClient(
  baseUrl: string,
  token: string,
  onUnauthorized: () => never = () => {
    throw new Error("the API refused the access token (401)");
  },
): ApiClient {
  return {
    async call<T>(path: string, init: ApiRequest = {}): Promise<ApiResult<T>> {
      const response = await fetch(`${baseUrl}${path}`, {
        method: init.method ?? "GET",
        headers: {
          authorization: `Bearer ${token}`,
          accept: "application/json",
          ...(init.body !== undefined ? { "content-type": "application/json" } : {}),
          ...init.headers,
        },
        ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
        cache: "no-store",
      });
      if (response.status === 401) onUnauthorized();
      const text = await response.text();
      let body: unknown;
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        body = undefined;
      }
      if (!response.ok)
        return { ok: false, status: response.status, problem: asProblem(response.status, body) };
      return { ok: true, data: body as T };
    },
  };
}

/** `?a=1&b=x` from the defined values only (empty strings left out). */
export function queryString(params: Record<string, string | number | undefined | null>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== "") search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : "";
}

export const enc = encodeURIComponent;
