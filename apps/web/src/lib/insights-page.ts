// The data of the insights pages (/projects/[id]/insights, /agents/[id]/insights), apart from Next.js so it is
// tested against the real API.
import type { AgentInsights, ProjectInsights } from "@taskflow/contracts";
import { type ApiClient, type ApiResult, enc, queryString } from "./api-client";
import { pageData } from "./page-data";

/** The window a person asked for in the address (`from`, `to`, `weeks`), passed to the API as given. */
export interface InsightsSearch {
  from?: string;
  to?: string;
  weeks?: string;
  view?: string;
}

function text(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

/**
 * Loads insights for the window in the address. A window the API refuses (a day that does not exist, `from`
 * after `to`, too many weeks: 400, or 422 for days that make no window, naming `query.<field>`) is not a fault: the page says what was wrong and
 * shows the default window instead (`refused`).
 */
async function loadInsights<T>(
  api: ApiClient,
  path: string,
  search: InsightsSearch,
): Promise<{ insights: T; refused: string | null }> {
  const asked = queryString({ from: text(search.from), to: text(search.to), weeks: text(search.weeks) });
  const result: ApiResult<T> = await api.call<T>(`${path}${asked}`);
  if (!result.ok && (result.status === 400 || result.status === 422)) {
    const wrong = (result.problem.errors ?? []).filter((e) => e.field.startsWith("query"));
    if (wrong.length > 0) {
      const refused = wrong
        .map((e) => `${e.field.replace(/^query\.?/, "") || "address"}: ${e.message}`)
        .join("; ");
      return { insights: pageData(await api.call<T>(path)), refused };
    }
  }
  return { insights: pageData(result), refused: null };
}

export function loadProjectInsights(api: ApiClient, projectId: string, search: InsightsSearch) {
  return loadInsights<ProjectInsights>(api, `/api/projects/${enc(projectId)}/insights`, search);
}

export function loadAgentInsights(api: ApiClient, agentId: string, search: InsightsSearch) {
  return loadInsights<AgentInsights>(api, `/api/agents/${enc(agentId)}/insights`, search);
}
