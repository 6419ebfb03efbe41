import {
  isJSONRPCRequest,
  isJSONRPCResultResponse,
  type JSONRPCMessage,
  StreamableHTTPClientTransport,
} from "@modelcontextprotocol/client";
import { StdioServerTransport } from "@modelcontextprotocol/server/stdio";

/**
 * `taskflow-mcp` for an agent's machine: MCP over stdio, relayed to the MCP server's HTTP endpoint
 * (`TASKFLOW_MCP_URL`) with the agent's key or a person's personal access token as Bearer
 * (`TASKFLOW_API_KEY`). Nothing else: no database, no secret of the server's. The server decides
 * everything as it does for any HTTP client (scopes, audit with channel mcp or pat).
 */
export interface BridgeSettings {
  url: URL;
  credential: string;
}

/** What the bridge needs from the environment, or what is wrong with it (a message for stderr). */
export function bridgeSettings(env: NodeJS.ProcessEnv): BridgeSettings | { error: string } {
  const credential = env.TASKFLOW_API_KEY;
  if (!credential) {
    return {
      error:
        "set TASKFLOW_API_KEY to the agent's API key (tf_…, shown once when the agent was registered) or a personal access token (tfp_…)",
    };
  }
  let url: URL;
  try {
    url = new URL(env.TASKFLOW_MCP_URL ?? "");
  } catch {
    return { error: "TASKFLOW_MCP_URL must be the MCP server's URL, e.g. https://mcp.example.com/mcp" };
  }
  // The key travels in every request: in the clear only to this machine.
  const loopback = ["localhost", "127.0.0.1", "[::1]"].includes(url.hostname);
  if (url.protocol !== "https:" && !(url.protocol === "http:" && loopback)) {
    return {
      error:
        "TASKFLOW_MCP_URL must be https:// (http:// only for localhost): the key travels with every call",
    };
  }
  return { url, credential };
}

/**
 * Relays every message both ways until either side closes, whatever the client's era: a 2026-07-28 request
 * carries its protocol version in `_meta`, and the HTTP transport derives `MCP-Protocol-Version`, `Mcp-Method`
 * and `Mcp-Name` from it; a 2025-era connection's version comes from the `initialize` answer.
 */
export async function runBridge(settings: BridgeSettings, onClosed: (code: number) => void): Promise<void> {
  const upstream = new StreamableHTTPClientTransport(settings.url, {
    requestInit: { headers: { Authorization: `Bearer ${settings.credential}` } },
  });
  const local = new StdioServerTransport();
  let closed = false;
  const close = (code: number) => {
    if (closed) return;
    closed = true;
    void Promise.allSettled([upstream.close(), local.close()]).then(() => onClosed(code));
  };
  local.onmessage = (message: JSONRPCMessage) => {
    upstream.send(message).catch((error: unknown) => {
      const reason = error instanceof Error ? error.message : String(error);
      process.stderr.write(`taskflow-mcp: the MCP server refused or could not be reached: ${reason}\n`);
      // The client is waiting for an answer to a request: it gets one, an error it can show.
      if (isJSONRPCRequest(message)) {
        void local.send({
          jsonrpc: "2.0",
          id: message.id,
          error: { code: -32000, message: `TaskFlow's MCP server: ${reason}` },
        });
      }
    });
  };
  upstream.onmessage = (message: JSONRPCMessage) => {
    // The protocol version the server chose at `initialize` goes on every later 2025-era request's
    // MCP-Protocol-Version header (a 2026-07-28 request names its own).
    if (isJSONRPCResultResponse(message) && typeof message.result.protocolVersion === "string") {
      upstream.setProtocolVersion(message.result.protocolVersion);
    }
    void local.send(message);
  };
  upstream.onerror = (error) => process.stderr.write(`taskflow-mcp: ${error.message}\n`);
  local.onclose = () => close(0);
  upstream.onclose = () => close(0);
  await upstream.start();
  await local.start();
}
