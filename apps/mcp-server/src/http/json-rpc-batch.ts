/**
 * JSON-RPC batches on `/mcp`. MCP 2025-03-26 allowed a POST body to be an array of messages; 2025-06-18
 * removed batching ("the body of the POST request MUST be a single JSON-RPC request, notification, or
 * response"). The SDK's transport still runs any batch it is given, up to 100 messages, whatever the
 * version: this module decides what the protocol allows, and how much a batch costs.
 *
 * A request's version is its `MCP-Protocol-Version` header; without one the transport spec says to
 * assume 2025-03-26 (the SDK does the same), which is also what a 2025-03-26 client sends after
 * initializing. So a batch is accepted only when the header is absent or says 2025-03-26.
 */

/** The protocol version whose Streamable HTTP transport carries batches. */
export const batchingProtocolVersion = "2025-03-26";

/** The version a request speaks, as the transport spec reads it. */
export function requestProtocolVersion(header: string | undefined): string {
  return header?.trim() || batchingProtocolVersion;
}

/** The `_meta` key by which a message claims the 2026-07-28 era (its per-request envelope). */
const protocolVersionMetaKey = "io.modelcontextprotocol/protocolVersion";

function claimsModernEra(message: unknown): boolean {
  const params = (message as { params?: unknown } | null)?.params;
  const meta = (params as { _meta?: unknown } | null | undefined)?._meta;
  return typeof meta === "object" && meta !== null && protocolVersionMetaKey in meta;
}

/**
 * Why a body may not be handled as it is, or null: a batch under a version without batching, or a batch of
 * 2026-07-28 requests (that era has none, whatever the header says: the SDK would refuse it too, but only
 * after the rate limit had charged every message of it).
 */
export function batchRefusal(body: unknown, protocolVersionHeader: string | undefined): string | null {
  if (!Array.isArray(body)) return null;
  if (body.some(claimsModernEra)) {
    return (
      "Invalid Request: JSON-RPC batches may not contain requests for protocol revision 2026-07-28 or later; " +
      "send one message per request"
    );
  }
  const version = requestProtocolVersion(protocolVersionHeader);
  if (version === batchingProtocolVersion) return null;
  return (
    `Invalid Request: MCP protocol version ${version} has no JSON-RPC batching ` +
    "(removed in 2025-06-18); send one message per request"
  );
}

/** How many calls a body makes, for the rate limit: every message of a batch counts, one at least. */
export function callCount(body: unknown): number {
  return Array.isArray(body) ? Math.max(1, body.length) : 1;
}

/** The JSON-RPC error answer for a refused body: HTTP 400, code -32600 (Invalid Request), id null. */
export function invalidRequestResponse(message: string): Response {
  return new Response(JSON.stringify({ jsonrpc: "2.0", id: null, error: { code: -32600, message } }), {
    status: 400,
    headers: { "content-type": "application/json" },
  });
}
