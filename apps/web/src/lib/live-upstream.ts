// Opening a project's event stream at the API with the session's token (the browser never holds it).
import { config } from "@/env";

export function openProjectEvents(
  accessToken: string,
  projectId: string,
  lastEventId: string | undefined,
  signal: AbortSignal,
): Promise<Response> {
  return fetch(`${config().apiUrl}/api/projects/${encodeURIComponent(projectId)}/events`, {
    headers: {
      authorization: `Bearer ${accessToken}`,
      accept: "text/event-stream",
      ...(lastEventId && /^\d{1,15}$/.test(lastEventId) ? { "last-event-id": lastEventId } : {}),
    },
    signal,
    cache: "no-store",
  });
}

export const streamHeaders = {
  "content-type": "text/event-stream; charset=utf-8",
  "cache-control": "no-store, no-transform",
  connection: "keep-alive",
  "x-accel-buffering": "no",
};
