import type { Era } from "./test-mcp.ts";

/**
 * Hand-built `/mcp` POSTs in either protocol era, for tests that send what no SDK client would (refusals,
 * forged envelopes, batches), or that must see the HTTP answer itself.
 *
 * - 2025-11-25: the message as it is, with the `MCP-Protocol-Version` header a client sends after
 *   `initialize` (the server is stateless, so no handshake is needed first).
 * - 2026-07-28: the per-request `_meta` envelope (protocol version, client info, client capabilities) and the
 *   `MCP-Protocol-Version` / `Mcp-Method` / `Mcp-Name` headers that mirror the body, as the v2 SDK client
 *   sends them.
 */
export interface JsonRpcMessage {
  id?: string | number;
  method: string;
  params?: Record<string, unknown>;
}

export const modernEnvelope: Record<string, unknown> = {
  "io.modelcontextprotocol/protocolVersion": "2026-07-28",
  "io.modelcontextprotocol/clientInfo": { name: "taskflow-raw-client", version: "1.0.0" },
  "io.modelcontextprotocol/clientCapabilities": {},
};

/** What `Mcp-Name` mirrors: a tool's or prompt's name, a resource's URI. */
function nameOf(message: JsonRpcMessage): string | undefined {
  const { name, uri } = message.params ?? {};
  if (message.method === "tools/call" || message.method === "prompts/get") {
    return typeof name === "string" ? name : undefined;
  }
  if (message.method === "resources/read") return typeof uri === "string" ? uri : undefined;
  return undefined;
}

/** The message as an era sends it: in 2026-07-28 with the envelope merged into its `_meta`. */
export function eraMessage(era: Era, message: JsonRpcMessage): Record<string, unknown> {
  const base = { jsonrpc: "2.0", ...message };
  if (era !== "2026-07-28") return base;
  const params = message.params ?? {};
  const meta = (params._meta as Record<string, unknown> | undefined) ?? {};
  return { ...base, params: { ...params, _meta: { ...modernEnvelope, ...meta } } };
}

/** The headers an era's client sends with a message (no credential). */
export function eraHeaders(era: Era, message: JsonRpcMessage): Record<string, string> {
  const headers: Record<string, string> = {
    "content-type": "application/json",
    accept: "application/json, text/event-stream",
    "mcp-protocol-version": era,
  };
  if (era === "2026-07-28") {
    headers["mcp-method"] = message.method;
    const name = nameOf(message);
    if (name !== undefined) headers["mcp-name"] = name;
  }
  return headers;
}

/** POSTs one message to `/mcp` as the era's client would, with optional credential and header overrides. */
export function postInEra(
  url: string,
  era: Era,
  message: JsonRpcMessage,
  options: { credential?: string; headers?: Record<string, string>; body?: unknown } = {},
): Promise<Response> {
  const headers = { ...eraHeaders(era, message), ...options.headers };
  if (options.credential) headers.authorization = `Bearer ${options.credential}`;
  const body = options.body === undefined ? eraMessage(era, message) : options.body;
  return fetch(url, {
    method: "POST",
    headers,
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}
