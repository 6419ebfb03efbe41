import { config } from "@/env";
import { readSession } from "@/lib/session";
import { toMessageEvents } from "@/lib/sse";

export const dynamic = "force-dynamic";

/** The project's live events from the API, with the session's token, passed on to the browser. */
export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const session = await readSession();
  if (!session) return new Response("sign in first", { status: 401 });
  const lastEventId = request.headers.get("last-event-id");
  const upstream = await fetch(`${config().apiUrl}/api/projects/${encodeURIComponent(id)}/events`, {
    headers: {
      authorization: `Bearer ${session.accessToken}`,
      accept: "text/event-stream",
      ...(lastEventId && /^\d{1,15}$/.test(lastEventId) ? { "last-event-id": lastEventId } : {}),
    },
    signal: request.signal,
    cache: "no-store",
  });
  if (!upstream.ok || !upstream.body) {
    return new Response(`the API answered ${upstream.status}`, {
      status: upstream.status === 200 ? 502 : upstream.status,
    });
  }
  return new Response(upstream.body.pipeThrough(toMessageEvents()), {
    headers: {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-store, no-transform",
      connection: "keep-alive",
      "x-accel-buffering": "no",
    },
  });
}
