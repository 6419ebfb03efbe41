// The data of a project's activity page (/projects/[id]/activity), apart from Next.js so it is tested
// against the real API.
import type { AuditPage } from "@taskflow/contracts";
import { type ApiClient, enc, queryString } from "./api-client";
import { pageData, refusedQueryParameter } from "./page-data";

export const activityPageSize = 50;

/**
 * One page of the project's audit trail. A cursor the API refuses (an old or hand-edited link: 422 naming
 * `query.cursor`) is not a fault: the page says so and offers the newest entries (`cursorRefused`).
 */
export async function loadActivityPage(
  api: ApiClient,
  projectId: string,
  cursor: unknown,
): Promise<{ audit: AuditPage; cursorRefused: boolean }> {
  const query = queryString({
    limit: activityPageSize,
    cursor: typeof cursor === "string" ? cursor : undefined,
  });
  const result = await api.call<AuditPage>(`/api/projects/${enc(projectId)}/audit${query}`);
  if (refusedQueryParameter(result, "cursor")) {
    return { audit: { items: [], nextCursor: null }, cursorRefused: true };
  }
  return { audit: pageData(result), cursorRefused: false };
}
