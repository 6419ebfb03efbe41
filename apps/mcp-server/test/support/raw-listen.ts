import {
  CLIENT_CAPABILITIES_META_KEY,
  CLIENT_INFO_META_KEY,
  PROTOCOL_VERSION_META_KEY,
} from "@modelcontextprotocol/client";

/** A JSON-RPC message as it came on a listen's stream. */
export interface StreamMessage {
  id?: string | number;
  method?: string;
  params?: { uri?: string; _meta?: Record<string, unknown> } & Record<string, unknown>;
  result?: { resultType?: string; _meta?: Record<string, unknown> };
  error?: { code: number; message: string; data?: { accessEnded?: { reason: string; detail: string } } };
}

/**
 * `subscriptions/listen` on the wire, as a 2026-07-28 client sends it (the envelope in `_meta`, the routing
 * headers), read frame by frame: what the SDK client does not show (the last message of a stream ended by
 * the server).
 */
export async function rawListen(mcpUrl: string, credential: string, uris: string[], id = "raw-listen") {
  const response = await fetch(mcpUrl, {
    method: "POST",
    headers: {
      authorization: `Bearer ${credential}`,
      "content-type": "application/json",
      accept: "application/json, text/event-stream",
      "mcp-protocol-version": "2026-07-28",
      "mcp-method": "subscriptions/listen",
    },
    body: JSON.stringify({
      jsonrpc: "2.0",
      id,
      method: "subscriptions/listen",
      params: {
        _meta: {
          [PROTOCOL_VERSION_META_KEY]: "2026-07-28",
          [CLIENT_INFO_META_KEY]: { name: "raw-listener", version: "1.0.0" },
          [CLIENT_CAPABILITIES_META_KEY]: {},
        },
        notifications: { resourceSubscriptions: uris },
      },
    }),
  });
  const messages: StreamMessage[] = [];
  const streaming = response.headers.get("content-type")?.startsWith("text/event-stream") ?? false;
  if (!streaming) {
    messages.push((await response.json()) as StreamMessage);
    return { status: response.status, streaming, messages, ended: Promise.resolve(), cancel: async () => {} };
  }
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  const ended = (async () => {
    let buffer = "";
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      buffer += decoder.decode(value, { stream: true });
      for (let end = buffer.indexOf("\n\n"); end >= 0; end = buffer.indexOf("\n\n")) {
        const data = buffer
          .slice(0, end)
          .split("\n")
          .filter((line) => line.startsWith("data: "))
          .map((line) => line.slice("data: ".length))
          .join("\n");
        buffer = buffer.slice(end + 2);
        if (data) messages.push(JSON.parse(data) as StreamMessage);
      }
    }
  })();
  return { status: response.status, streaming, messages, ended, cancel: () => reader.cancel() };
}

/** Polls until `found` gives something (a message heard, a state reached); fails naming `what` after 15 s. */
export async function eventually<T>(
  found: () => T | undefined | Promise<T | undefined>,
  what: string,
): Promise<T> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const value = await found();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what} did not happen`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
