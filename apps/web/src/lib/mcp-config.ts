// Ready-to-paste MCP client configuration for TaskFlow. Pure functions (the "Connect an agent" page).

export interface Snippet {
  client: string;
  where: string;
  language: "json" | "shell" | "toml";
  text: string;
  /** What to know before pasting it. */
  note?: string;
}

const keyPlaceholder = "tf_…";

/**
 * The stdio server runs from a clone of TaskFlow (apps/mcp-server is not published to npm: `npx taskflow-mcp`
 * would fetch whatever a stranger published under that name). Node 24 runs its TypeScript source directly.
 */
export const stdioBin = "apps/mcp-server/bin/taskflow-mcp.js";
export const checkoutPlaceholder = "/path/to/taskflow";

export interface StdioSetup {
  /** Where TaskFlow is cloned on the agent's machine. */
  checkout?: string;
}

/**
 * The command and environment of the stdio server on an agent's machine (apps/mcp-server/src/stdio-bridge.ts):
 * it relays stdio to the MCP server at `mcpUrl` with the key as Bearer, and needs nothing else. Never the API's
 * DATABASE_URL: the bin can also serve straight from a database, for an operator on its host, but that URL
 * opens every organization's data and has no place in an agent's configuration.
 */
export function stdioServer(key: string, mcpUrl: string, setup: StdioSetup = {}) {
  return {
    command: "node",
    args: [`${(setup.checkout ?? checkoutPlaceholder).replace(/\/+$/, "")}/${stdioBin}`],
    env: { TASKFLOW_API_KEY: key, TASKFLOW_MCP_URL: mcpUrl },
  };
}

const stdioNote =
  "For a client that only speaks stdio. From a clone of TaskFlow, with Node 24: replace the path with your " +
  "clone's. It relays to the MCP server above with the key (an agent's tf_… key or a personal access token " +
  "tfp_…), and needs nothing else.";

export function apiKeySnippets(mcpUrl: string, key = keyPlaceholder, setup: StdioSetup = {}): Snippet[] {
  const stdio = stdioServer(key, mcpUrl, setup);
  const http = { url: mcpUrl, headers: { Authorization: `Bearer ${key}` } };
  const json = (value: unknown) => JSON.stringify(value, null, 2);
  return [
    {
      client: "Claude Code",
      where: "a terminal (HTTP, or stdio with the second command)",
      language: "shell",
      text:
        `claude mcp add --transport http taskflow ${mcpUrl} --header "Authorization: Bearer ${key}"\n` +
        `claude mcp add taskflow --env TASKFLOW_API_KEY=${key} --env TASKFLOW_MCP_URL=${mcpUrl} -- ` +
        `${stdio.command} ${stdio.args.join(" ")}`,
      note: `The second command (stdio): ${stdioNote}`,
    },
    {
      client: "Cursor",
      where: "~/.cursor/mcp.json",
      language: "json",
      text: json({ mcpServers: { taskflow: http } }),
    },
    {
      client: "VS Code",
      where: ".vscode/mcp.json",
      language: "json",
      text: json({ servers: { taskflow: { type: "http", ...http } } }),
    },
    {
      client: "Windsurf",
      where: "~/.codeium/windsurf/mcp_config.json",
      language: "json",
      text: json({ mcpServers: { taskflow: { serverUrl: mcpUrl, headers: http.headers } } }),
    },
    {
      client: "Gemini CLI",
      where: "~/.gemini/settings.json",
      language: "json",
      text: json({ mcpServers: { taskflow: { httpUrl: mcpUrl, headers: http.headers } } }),
    },
    {
      client: "Any client, stdio",
      where: "the client's MCP servers list",
      language: "json",
      text: json({ mcpServers: { taskflow: stdio } }),
      note: stdioNote,
    },
  ];
}

/** The OAuth route: the client discovers the SSO from the MCP server and signs the person in. */
export function oauthSnippets(mcpUrl: string): Snippet[] {
  const json = (value: unknown) => JSON.stringify(value, null, 2);
  return [
    {
      client: "Claude Code",
      where: "a terminal, then /mcp to sign in",
      language: "shell",
      text: `claude mcp add --transport http taskflow ${mcpUrl}`,
    },
    {
      client: "Cursor",
      where: "~/.cursor/mcp.json",
      language: "json",
      text: json({ mcpServers: { taskflow: { url: mcpUrl } } }),
    },
    {
      client: "VS Code",
      where: ".vscode/mcp.json",
      language: "json",
      text: json({ servers: { taskflow: { type: "http", url: mcpUrl } } }),
    },
    {
      client: "Windsurf",
      where: "~/.codeium/windsurf/mcp_config.json",
      language: "json",
      text: json({ mcpServers: { taskflow: { serverUrl: mcpUrl } } }),
    },
    {
      client: "Gemini CLI",
      where: "~/.gemini/settings.json",
      language: "json",
      text: json({ mcpServers: { taskflow: { httpUrl: mcpUrl } } }),
    },
  ];
}
