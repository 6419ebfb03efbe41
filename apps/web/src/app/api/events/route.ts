import { config } from "@/env";
import { parseLiveQuery } from "@/lib/live-events";
import { mergedLiveStream } from "@/lib/live-streams";
import { problemResponse } from "@/lib/problem-response";
import { readSession } from "@/lib/session";

export const dynamic = "force-dynamic";

/**
 * Several projects' live events as one stream (`?project=…&project=…`, at most 20): the home and agent pages.
 * Each change arrives as a bare message; projects the person cannot see (any longer) are left out.
 */
export async function GET(request: Request) {
  const session = await readSession();
  if (!session) return problemResponse(401, "Unauthorized", "Sign in first.");
  const { projectIds, since, after } = parseLiveQuery(new URL(request.url).searchParams);
  return mergedLiveStream({
    apiUrl: config().apiUrl,
    accessToken: session.accessToken,
    projectIds,
    since,
    after,
    signal: request.signal,
  });
}
