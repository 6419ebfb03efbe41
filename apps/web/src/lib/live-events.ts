// Which live stream a page listens to, and what the dashboard's event routes accept. Pure functions.

/** A page listens to at most this many projects at once (the home and agent pages look into 20). */
export const maxLiveProjects = 20;

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const sequence = /^\d{1,15}$/;

export interface LiveQuery {
  projectIds: string[];
  /** When the page was rendered (ms since the epoch): older changes are already on it. */
  since?: number;
  /** The newest audit entry id the page has seen: the API replays only what came after it. */
  after?: string;
}

/**
 * The URL of a page's live stream: one project's own stream (ids kept, so a reconnect resumes where it left
 * off), or the dashboard's merged stream for several; none for no project.
 */
export function liveEventsUrl(projectIds: string[], since: number, after?: string): string | undefined {
  const ids = [...new Set(projectIds)].filter((id) => uuid.test(id)).slice(0, maxLiveProjects);
  const query = new URLSearchParams({ since: String(since) });
  if (after && sequence.test(after)) query.set("after", after);
  if (ids.length === 0) return undefined;
  if (ids.length === 1) return `/api/projects/${ids[0]}/events?${query}`;
  for (const id of ids) query.append("project", id);
  return `/api/events?${query}`;
}

/** The query of an event route, checked: project ids (deduplicated, at most maxLiveProjects), since, after. */
export function parseLiveQuery(params: URLSearchParams): LiveQuery {
  const projectIds = [...new Set(params.getAll("project"))].filter((id) => uuid.test(id));
  const since = Number(params.get("since"));
  const after = params.get("after");
  return {
    projectIds: projectIds.slice(0, maxLiveProjects),
    ...(Number.isSafeInteger(since) && since > 0 ? { since } : {}),
    ...(after && sequence.test(after) ? { after } : {}),
  };
}

/** The newest of some audit entry ids (they are one increasing sequence across projects). */
export function newestId(ids: string[]): string | undefined {
  let newest: string | undefined;
  for (const id of ids) {
    if (sequence.test(id) && (newest === undefined || Number(id) > Number(newest))) newest = id;
  }
  return newest;
}

/** What a page shows about its live stream. */
export type LiveState = "connecting" | "live" | "offline" | "lost" | "signed-out" | "stopped";

/**
 * What a page does when the API ended one project's stream (`access_ended`, data `{reason}`): an expired token
 * is renewed by reconnecting (the EventSource does; the proxy refreshes the token on that request), as is a check
 * that could not be made; a lost project ends a one-project page's live updates, and refreshes a page that
 * watches several (it shows the rest without it); a credential no longer accepted ends them with "sign in again".
 */
export function onAccessEnded(
  data: string,
  projects: number,
): { close: boolean; refresh: boolean; state?: LiveState } {
  let reason: unknown;
  try {
    reason = (JSON.parse(data) as { reason?: unknown }).reason;
  } catch {
    reason = undefined;
  }
  if (reason === "revoked") return { close: true, refresh: false, state: "signed-out" };
  if (reason === "lost") {
    return projects > 1 ? { close: false, refresh: true } : { close: true, refresh: false, state: "lost" };
  }
  return { close: false, refresh: false, state: "connecting" };
}
