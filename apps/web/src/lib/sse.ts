// Server-Sent Events from the API to the browser. The API names each event by its audit action, sends the entry
// as JSON in `data`, and replays a project's history to a connection that names no Last-Event-ID. The dashboard
// passes on only what the page does not show yet (changes made after it was rendered), every change as a plain
// `message` (the browser needs no listener per action); `ping` keeps its name, and so does `access_ended`, the
// API's last event when the person's access to the project or their token ended. Pure stream transforms.

export interface SseEvent {
  event?: string;
  id?: string;
  data: string;
}

/** Splits an SSE byte stream into events (a blank line ends one), across chunk boundaries; comments dropped. */
export function sseEvents(): TransformStream<Uint8Array, SseEvent> {
  const decoder = new TextDecoder();
  let buffer = "";
  let current: { event?: string; id?: string; data: string[] } = { data: [] };
  const line = (text: string, emit: (event: SseEvent) => void) => {
    if (text === "") {
      if (current.data.length > 0 || current.event !== undefined) {
        emit({
          ...(current.event !== undefined ? { event: current.event } : {}),
          ...(current.id !== undefined ? { id: current.id } : {}),
          data: current.data.join("\n"),
        });
      }
      current = { data: [] };
      return;
    }
    if (text.startsWith(":")) return;
    const colon = text.indexOf(":");
    const field = colon < 0 ? text : text.slice(0, colon);
    const value = colon < 0 ? "" : text.slice(colon + 1).replace(/^ /, "");
    if (field === "data") current.data.push(value);
    else if (field === "event") current.event = value;
    else if (field === "id") current.id = value;
  };
  return new TransformStream({
    transform(chunk, controller) {
      buffer += decoder.decode(chunk, { stream: true });
      const lines = buffer.split(/\r?\n/);
      buffer = lines.pop() ?? "";
      for (const text of lines) line(text, (event) => controller.enqueue(event));
    },
    flush(controller) {
      if (buffer) line(buffer, () => undefined);
      line("", (event) => controller.enqueue(event));
    },
  });
}

export const isPing = (event: SseEvent) => event.event === "ping";

/** The API's last event on a stream whose caller lost access or whose token expired (`data`: `{reason, detail}`). */
export const isAccessEnd = (event: SseEvent) => event.event === "access_ended";

/** A change the page already shows: its audit entry was written before `since` (ms since the epoch). */
export function isOlderThan(event: SseEvent, since: number | undefined): boolean {
  if (since === undefined || isPing(event) || isAccessEnd(event)) return false;
  try {
    const createdAt = Date.parse(String((JSON.parse(event.data) as { createdAt?: unknown }).createdAt));
    return Number.isFinite(createdAt) && createdAt < since;
  } catch {
    return false;
  }
}

/** One event as the browser reads it: only pings and the end of access keep their names. */
export function formatMessage(event: SseEvent): string {
  const id = event.id !== undefined ? `id: ${event.id}\n` : "";
  const name = isPing(event) || isAccessEnd(event) ? `event: ${event.event}\n` : "";
  const data = event.data
    .split("\n")
    .map((part) => `data: ${part}\n`)
    .join("");
  return `${id}${name}${data}\n`;
}

/** One project's stream for the browser: changes as plain messages (ids kept for Last-Event-ID), old replays dropped. */
export function toMessageEvents(since?: number): TransformStream<Uint8Array, Uint8Array> {
  const encoder = new TextEncoder();
  const rewrite = new TransformStream<SseEvent, Uint8Array>({
    transform(event, controller) {
      if (!isOlderThan(event, since)) controller.enqueue(encoder.encode(formatMessage(event)));
    },
  });
  const split = sseEvents();
  split.readable.pipeTo(rewrite.writable).catch(() => undefined);
  return { writable: split.writable, readable: rewrite.readable };
}
