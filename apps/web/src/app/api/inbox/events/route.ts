import { config } from "@/env";
import { inboxLiveStream } from "@/lib/inbox-stream";
import { problemResponse } from "@/lib/problem-response";
import { readSession } from "@/lib/session";

export const dynamic = "force-dynamic";

/** The signed-in person's inbox, live: the header's badge and the "Needs you" page listen to it. */
export async function GET(request: Request) {
  const session = await readSession();
  if (!session) return problemResponse(401, "Unauthorized", "Sign in first.");
  return inboxLiveStream({
    apiUrl: config().apiUrl,
    accessToken: session.accessToken,
    lastEventId: request.headers.get("last-event-id"),
    signal: request.signal,
  });
}
