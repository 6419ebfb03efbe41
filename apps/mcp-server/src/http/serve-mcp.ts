import {
  createMcpHandler,
  isLegacyRequest,
  type McpRequestContext,
  WebStandardStreamableHTTPServerTransport,
} from "@modelcontextprotocol/server";
import { type Listens, listenMessageOf } from "../listen/listens.ts";
import { createTaskflowMcpServer } from "../mcp-server-factory.ts";
import type { ToolContext } from "../tools/tool-kit.ts";
import { headerMismatchResponse, routingHeaderMismatch } from "./routing-headers.ts";

/**
 * `/mcp` in both protocol eras, from the one server definition (mcp-server-factory.ts), chosen per request as
 * the specification negotiates:
 *
 * - **2026-07-28** (a request that carries the protocol version, client capabilities and client info in its
 *   `_meta`, and the `MCP-Protocol-Version` / `Mcp-Method` / `Mcp-Name` headers): the SDK's `createMcpHandler`,
 *   which answers `server/discover`, stamps `resultType` and the cache hints, and refuses what the transport
 *   specification refuses (a header that disagrees with the body, a missing envelope, an unsupported version)
 *   before any server is built. Answers are JSON (no tool sends anything before its result).
 * - **2025-era** (`initialize`, then requests without the envelope: 2025-11-25, 2025-06-18, 2025-03-26):
 *   a fresh server on the SDK's Streamable HTTP transport, stateless and answering JSON, as this server always
 *   has. The SDK's own stateless fallback would answer with an event stream; clients of that era and the
 *   batch rule (json-rpc-batch.ts) expect the JSON answers they had.
 *
 * - **`subscriptions/listen`** (2026-07-28 only, when `listens` is given): decided and fed by listen/listens.ts
 *   over the database's LISTEN/NOTIFY fan-out, on the SDK's listen router.
 *
 * Whatever the era, the caller was authenticated, rate limited and scope-checked before this (app.ts), and
 * every server built here is bound to that caller (`ToolContext`).
 */
export function serveMcp(options: {
  maxBodyBytes: number;
  onError: (error: Error) => void;
  listens?: Listens | undefined;
}) {
  // The per-request caller travels to the factory with the request it came with.
  const contexts = new WeakMap<Request, ToolContext>();
  const contextOf = ({ requestInfo }: McpRequestContext): ToolContext => {
    const context = requestInfo && contexts.get(requestInfo);
    if (!context) throw new Error("an MCP server was asked for a request that was not authenticated here");
    return context;
  };
  const listens = options.listens;
  const modern = createMcpHandler(
    (request) => createTaskflowMcpServer(contextOf(request), { listen: listens !== undefined }),
    {
      legacy: "reject",
      ...(listens ? { bus: listens.bus } : {}),
      // JSON unless a handler sends something before its result (none does): then an event stream.
      responseMode: "auto",
      maxRequestBodySize: options.maxBodyBytes,
      onerror: options.onError,
    },
  );

  async function serveLegacy(request: Request, parsedBody: unknown, context: ToolContext) {
    const server = createTaskflowMcpServer(context);
    const transport = new WebStandardStreamableHTTPServerTransport({
      sessionIdGenerator: undefined,
      enableJsonResponse: true,
    });
    try {
      await server.connect(transport);
      return await transport.handleRequest(request, parsedBody === undefined ? undefined : { parsedBody });
    } finally {
      await server.close();
    }
  }

  return {
    /** Answers one POST of an authenticated caller, in the era the request speaks. */
    async serve(
      request: Request,
      parsedBody: unknown,
      context: ToolContext,
      authorization?: string,
    ): Promise<Response> {
      if (await isLegacyRequest(request, parsedBody, { maxRequestBodySize: options.maxBodyBytes })) {
        // The SDK checks the routing headers of 2026-07-28 requests; an envelope-less one must not escape them.
        const mismatch = routingHeaderMismatch(parsedBody, {
          method: request.headers.get("mcp-method") ?? undefined,
          name: request.headers.get("mcp-name") ?? undefined,
        });
        if (mismatch) {
          options.onError(new Error(`Rejected 2025-era request: ${mismatch.problem}`));
          return headerMismatchResponse(parsedBody, mismatch);
        }
        return serveLegacy(request, parsedBody, context);
      }
      contexts.set(request, context);
      const forward = () => modern.fetch(request, parsedBody === undefined ? {} : { parsedBody });
      const listen = listens && listenMessageOf(parsedBody);
      return listen ? listens.open(listen, context, authorization, forward) : forward();
    },
    close: () => modern.close(),
  };
}
