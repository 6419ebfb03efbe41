export interface SseEvent {
  id?: string;
  event: string;
  data: string;
  /** When the client read it (ms since the epoch). */
  receivedAt: number;
}

/**
 * A minimal Server-Sent Events client over fetch: what a browser's EventSource does, with the
 * Authorization header a browser could not send.
 */
export async function openEventStream(url: string, token: string, lastEventId?: string) {
  const controller = new AbortController();
  const response = await fetch(url, {
    headers: {
      authorization: `Bearer ${token}`,
      accept: "text/event-stream",
      ...(lastEventId ? { "last-event-id": lastEventId } : {}),
    },
    signal: controller.signal,
  });
  return readEventStream(response, controller);
}

/** Reads an event stream already answered (`controller` aborts what produced it): events as they arrive. */
export function readEventStream(response: Response, controller: AbortController) {
  const events: SseEvent[] = [];
  const waiters: (() => void)[] = [];
  let buffer = "";
  let endedAt: number | undefined;
  const pump = (async () => {
    if (!response.body) {
      endedAt = Date.now();
      return;
    }
    const decoder = new TextDecoder();
    const reader = response.body.getReader();
    try {
      for (;;) {
        const { done, value: chunk } = await reader.read();
        if (done) break;
        buffer += decoder.decode(chunk, { stream: true });
        let end = buffer.indexOf("\n\n");
        while (end >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event: SseEvent = { event: "message", data: "", receivedAt: Date.now() };
          // A block of comments only (": open") is no event.
          let fields = 0;
          for (const line of block.split("\n")) {
            const [field, ...rest] = line.split(":");
            const value = rest.join(":").replace(/^ /, "");
            if (field === "id") event.id = value;
            else if (field === "event") event.event = value;
            else if (field === "data") event.data += value;
            else continue;
            fields++;
          }
          if (fields > 0) events.push(event);
          for (const w of waiters.splice(0)) w();
          end = buffer.indexOf("\n\n");
        }
      }
    } catch {
      // aborted
    }
    endedAt = Date.now();
  })();

  /** Resolves once `count` events other than pings have arrived (or rejects after `timeoutMs`). */
  async function waitFor(count: number, timeoutMs = 10_000): Promise<SseEvent[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const real = events.filter((e) => e.event !== "ping");
      if (real.length >= count) return real;
      if (Date.now() > deadline) throw new Error(`expected ${count} events, got ${real.length}`);
      await new Promise<void>((resolve) => {
        waiters.push(resolve);
        setTimeout(resolve, 100);
      });
    }
  }

  /** Resolves with the moment the server ended the stream (or rejects after `timeoutMs`). */
  async function waitForEnd(timeoutMs = 10_000): Promise<number> {
    const timeout = new Promise<never>((_, reject) =>
      setTimeout(
        () => reject(new Error(`the stream was still open after ${timeoutMs} ms`)),
        timeoutMs,
      ).unref(),
    );
    await Promise.race([pump, timeout]);
    return endedAt as number;
  }

  return {
    status: response.status,
    contentType: response.headers.get("content-type"),
    events,
    waitFor,
    waitForEnd,
    /** Whether the server has ended the stream. */
    ended: () => endedAt !== undefined,
    close: async () => {
      controller.abort();
      await pump;
    },
  };
}
