// The dashboard's two live-event routes, apart from Next.js (the route files read the session and call these, and
// the tests call them against the real API). The person's access token is the one in their session when the
// browser connects: the API ends the stream when that token expires or the person loses the project (a last
// `access_ended` event), the browser's EventSource reconnects, and the proxy (src/proxy.ts) refreshes the token
// on that request, or drops the session, which the route then answers 401 and the EventSource stops.
import { mergeChanges } from "./live-merge";
import { openedAtOnce, openProjectEvents, streamHeaders, upstreamRefusal } from "./live-upstream";
import { problemResponse } from "./problem-response";
import { toMessageEvents } from "./sse";

export interface LiveStreamRequest {
  apiUrl: string;
  accessToken: string;
  /** When the page was rendered (ms): older changes are dropped. */
  since?: number | undefined;
  /** Resume after this audit id (the browser's Last-Event-ID, else the page's newest). */
  after?: string | undefined;
  /** The browser went away. */
  signal: AbortSignal;
}

/** One project's events for the browser: its changes as plain messages, ids kept; `access_ended` by name. */
export async function projectLiveStream(
  request: LiveStreamRequest & { projectId: string },
): Promise<Response> {
  const upstream = await openProjectEvents(
    request.apiUrl,
    request.accessToken,
    request.projectId,
    request.after,
    request.signal,
  ).catch(() => undefined);
  if (!upstream?.ok || !upstream.body) return upstreamRefusal(upstream?.status);
  return new Response(openedAtOnce(upstream.body.pipeThrough(toMessageEvents(request.since))), {
    headers: streamHeaders,
  });
}

/**
 * Several projects' events as one stream (the home and agent pages): projects the person cannot see (any longer)
 * are left out when it opens, and leave it when the API ends theirs; it ends when every project's stream has.
 */
export async function mergedLiveStream(
  request: LiveStreamRequest & { projectIds: string[] },
): Promise<Response> {
  if (request.projectIds.length === 0) {
    return problemResponse(400, "Bad Request", "Name at least one project (?project=<id>, at most 20).");
  }
  const upstream = new AbortController();
  request.signal.addEventListener("abort", () => upstream.abort(), { once: true });
  const answers = await Promise.all(
    request.projectIds.map((id) =>
      openProjectEvents(request.apiUrl, request.accessToken, id, request.after, upstream.signal).catch(
        () => undefined,
      ),
    ),
  );
  const bodies: ReadableStream<Uint8Array>[] = [];
  for (const answer of answers) {
    if (answer?.ok && answer.body) bodies.push(answer.body);
    else await answer?.body?.cancel().catch(() => undefined);
  }
  if (bodies.length === 0) {
    upstream.abort();
    return upstreamRefusal(answers.find((a) => a)?.status);
  }
  return new Response(openedAtOnce(mergeChanges(bodies, request.since)), { headers: streamHeaders });
}
