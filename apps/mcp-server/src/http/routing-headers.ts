/**
 * `Mcp-Method` and `Mcp-Name` (SEP-2243) mirror the body so a gateway can route, rate limit or authorize a
 * request without reading it. The SDK checks them on 2026-07-28 requests only; a request without the `_meta`
 * envelope is served in the 2025 era, where the SDK ignores them. So dropping the envelope would let a body
 * do one thing while its headers claim another (a `taskflow_delete_task` call labelled `tools/list`) past any
 * gateway that trusts the headers. Here the headers, when sent, must agree with the body in every era: the
 * same comparison as the SDK's (exact, after trimming spaces; `Mcp-Name` may be `=?base64?…?=`), the same
 * refusal (HTTP 400, JSON-RPC -32020 HeaderMismatch).
 */

const headerMismatchCode = -32020;
const base64Sentinel = /^=\?base64\?([A-Za-z0-9+/]*={0,2})\?=$/;

/** What `Mcp-Name` mirrors: a tool's or prompt's name, a resource's URI. */
function nameOf(method: unknown, params: unknown): unknown {
  if (!params || typeof params !== "object") return undefined;
  const { name, uri } = params as { name?: unknown; uri?: unknown };
  if (method === "tools/call" || method === "prompts/get") return name;
  if (method === "resources/read") return uri;
  return undefined;
}

/** A header's value as the client meant it: spaces and tabs trimmed, a Base64 sentinel decoded (or null). */
function decodedName(header: string): string | null {
  const value = header.trim();
  const sentinel = base64Sentinel.exec(value);
  if (!sentinel) return value;
  const bytes = Buffer.from(sentinel[1] ?? "", "base64");
  // Buffer.from skips what is not Base64: a sentinel whose bytes do not round-trip is not one.
  if (bytes.toString("base64") !== sentinel[1]) return null;
  return new TextDecoder("utf-8", { fatal: false }).decode(bytes);
}

/** Why the routing headers disagree with the body, or null when they agree or were not sent. */
export function routingHeaderMismatch(
  body: unknown,
  headers: { method: string | undefined; name: string | undefined },
): { header: string; problem: string } | null {
  if (headers.method === undefined && headers.name === undefined) return null;
  const sent = (headers.method ?? headers.name ?? "").trim();
  if (Array.isArray(body)) {
    return {
      header: sent,
      problem: "a batch has no single method or name for Mcp-Method / Mcp-Name to name",
    };
  }
  const { method, params } = (body && typeof body === "object" ? body : {}) as {
    method?: unknown;
    params?: unknown;
  };
  if (headers.method !== undefined && headers.method.trim() !== method) {
    return {
      header: headers.method.trim(),
      problem: `the body names method ${String(method)} but the Mcp-Method header names ${headers.method.trim()}`,
    };
  }
  if (headers.name === undefined) return null;
  const name = nameOf(method, params);
  const decoded = decodedName(headers.name);
  if (decoded === null || decoded !== name) {
    return {
      header: headers.name.trim(),
      problem: `the body names ${typeof name === "string" ? `"${name}"` : "nothing"} but the Mcp-Name header names "${decoded ?? headers.name.trim()}"`,
    };
  }
  return null;
}

/** The refusal, as the SDK words it for a 2026-07-28 request. */
export function headerMismatchResponse(
  body: unknown,
  mismatch: { header: string; problem: string },
): Response {
  const id =
    body && typeof body === "object" && !Array.isArray(body) ? (body as { id?: unknown }).id : undefined;
  return new Response(
    JSON.stringify({
      jsonrpc: "2.0",
      id: typeof id === "string" || typeof id === "number" ? id : null,
      error: {
        code: headerMismatchCode,
        message: `Bad Request: the request headers and body disagree: ${mismatch.problem}`,
        data: { mismatch: { header: mismatch.header, body: mismatch.problem } },
      },
    }),
    { status: 400, headers: { "content-type": "application/json" } },
  );
}
