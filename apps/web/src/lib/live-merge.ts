// Several projects' event streams as one for the browser (the home and agent pages look into many projects, and
// a browser holds only about six connections per server over HTTP/1.1). Each change becomes a bare message that
// only says "something changed" (the page refreshes itself); pings from many streams become one at a time. A
// project whose stream the API ended (`access_ended`: the person lost it, or the token expired) is passed on by
// name and leaves the merge; the other projects keep coming.
import { formatMessage, isAccessEnd, isOlderThan, isPing, sseEvents } from "./sse";

/** At most one ping passed on per this many milliseconds (each upstream pings every 15 s). */
const pingGapMs = 10_000;

export function mergeChanges(
  sources: ReadableStream<Uint8Array>[],
  since: number | undefined,
  now: () => number = Date.now,
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const readers: ReadableStreamDefaultReader<unknown>[] = [];
  let lastPing = Number.NEGATIVE_INFINITY;
  // Closed by us (every source ended) or by the reader (the browser went away): nothing more is written.
  let closed = false;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      let open = sources.length;
      const write = (text: string) => {
        if (!closed) controller.enqueue(encoder.encode(text));
      };
      const ended = () => {
        open -= 1;
        // When every project's stream has ended, so does this one (the browser reconnects).
        if (open === 0 && !closed) {
          closed = true;
          controller.close();
        }
      };
      if (open === 0) {
        closed = true;
        controller.close();
      }
      for (const source of sources) {
        const reader = source.pipeThrough(sseEvents()).getReader();
        readers.push(reader);
        (async () => {
          for (;;) {
            const { done, value } = await reader.read();
            if (done) break;
            if (isPing(value)) {
              if (now() - lastPing >= pingGapMs) {
                lastPing = now();
                write("event: ping\ndata: \n\n");
              }
            } else if (isAccessEnd(value)) {
              write(formatMessage(value));
            } else if (!isOlderThan(value, since)) {
              write("data: change\n\n");
            }
          }
        })()
          .catch(() => undefined)
          .finally(ended);
      }
    },
    cancel(reason) {
      closed = true;
      for (const reader of readers) reader.cancel(reason).catch(() => undefined);
    },
  });
}
