import { parseLiveQuery } from "@/lib/live-events";
import { openedAtOnce, openProjectEvents, streamHeaders, upstreamRefusal } from "@/lib/live-upstream";
import { problemResponse } from "@/lib/problem-response";
import { readSession } from "@/lib/session";
import { toMessageEvents } from "@/lib/sse";

export const dynamic = "force-dynamic";

/**
 * The project's live events from the API, with the session's token, passed on to the browser: what changed
 * after the page was rendered (`since`), resuming from the browser's Last-Event-ID, else from `after`.
 */
export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const session = await readSession();
  if (!session) return problemResponse(401, "Unauthorized", "Sign in first.");
  const { since, after } = parseLiveQuery(new URL(request.url).searchParams);
  const lastEventId = request.headers.get("last-event-id") ?? after;
  const upstream = await openProjectEvents(session.accessToken, id, lastEventId ?? undefined, request.signal);
  if (!upstream.ok || !upstream.body) return upstreamRefusal(upstream.status);
  return new Response(openedAtOnce(upstream.body.pipeThrough(toMessageEvents(since))), {
    headers: streamHeaders,
  });
}
