import { config } from "@/env";
import { parseLiveQuery } from "@/lib/live-events";
import { projectLiveStream } from "@/lib/live-streams";
import { problemResponse } from "@/lib/problem-response";
import { readSession } from "@/lib/session";

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
  return projectLiveStream({
    apiUrl: config().apiUrl,
    accessToken: session.accessToken,
    projectId: id,
    since,
    after: request.headers.get("last-event-id") ?? after,
    signal: request.signal,
  });
}
