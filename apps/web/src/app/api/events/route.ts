import { parseLiveQuery } from "@/lib/live-events";
import { mergeChanges } from "@/lib/live-merge";
import { openedAtOnce, openProjectEvents, streamHeaders, upstreamRefusal } from "@/lib/live-upstream";
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
  if (projectIds.length === 0) {
    return problemResponse(400, "Bad Request", "Name at least one project (?project=<id>, at most 20).");
  }
  const upstream = new AbortController();
  request.signal.addEventListener("abort", () => upstream.abort(), { once: true });
  const answers = await Promise.all(
    projectIds.map((id) =>
      openProjectEvents(session.accessToken, id, after, upstream.signal).catch(() => undefined),
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
  return new Response(openedAtOnce(mergeChanges(bodies, since)), { headers: streamHeaders });
}
