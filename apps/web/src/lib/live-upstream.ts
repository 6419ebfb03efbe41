// Opening a project's event stream at the API with the session's token (the browser never holds it).
import { problemResponse } from "./problem-response";

export function openProjectEvents(
  apiUrl: string,
  accessToken: string,
  projectId: string,
  lastEventId: string | undefined,
  signal: AbortSignal,
): Promise<Response> {
  return fetch(`${apiUrl}/api/projects/${encodeURIComponent(projectId)}/events`, {
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

/**
 * The API refused the stream (or could not be reached: no status): its status passed on as a problem, except
 * that a 200 without a body, or no answer at all, is the API's fault, not the browser's: 502.
 */
export function upstreamRefusal(status: number | undefined): Response {
  const passedOn = status && status !== 200 ? status : 502;
  return problemResponse(
    passedOn,
    passedOn === 502 ? "Bad Gateway" : "Refused by the API",
    status ? `The API answered ${status} to the event stream.` : "The API could not be reached.",
  );
}

/**
 * The stream with an SSE comment in front. The browser's EventSource counts as open once the first bytes
 * arrive, and the server sends the headers with them: without it a page waits for the first change or the
 * API's next ping (up to 15 s) before it shows "live".
 */
export function openedAtOnce(body: ReadableStream<Uint8Array>): ReadableStream<Uint8Array> {
  const opening = new TextEncoder().encode(": open\n\n");
  const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>({
    start(controller) {
      controller.enqueue(opening);
    },
  });
  // A browser that goes away cancels `readable`, which cancels `body` (and so the API's stream) through the pipe.
  body.pipeTo(writable).catch(() => undefined);
  return readable;
}
