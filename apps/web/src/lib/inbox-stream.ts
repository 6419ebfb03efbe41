// The person's live inbox for the browser: the API's stream (GET /api/notifications/events) opened with the
// session's token and passed on as it is: `inbox` (the unread count), `notification`, `ping`, `access_ended`.
import { openedAtOnce, streamHeaders, upstreamRefusal } from "./live-upstream";

export interface InboxStreamRequest {
  apiUrl: string;
  accessToken: string;
  /** The browser's Last-Event-ID (a notification's sequence number): the API replays what came after. */
  lastEventId?: string | null | undefined;
  signal: AbortSignal;
}

export async function inboxLiveStream(request: InboxStreamRequest): Promise<Response> {
  const upstream = await fetch(`${request.apiUrl}/api/notifications/events`, {
    headers: {
      authorization: `Bearer ${request.accessToken}`,
      accept: "text/event-stream",
      ...(request.lastEventId && /^\d{1,15}$/.test(request.lastEventId)
        ? { "last-event-id": request.lastEventId }
        : {}),
    },
    signal: request.signal,
    cache: "no-store",
  }).catch(() => undefined);
  if (!upstream?.ok || !upstream.body) return upstreamRefusal(upstream?.status);
  return new Response(openedAtOnce(upstream.body), { headers: streamHeaders });
}
