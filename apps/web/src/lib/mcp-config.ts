// Ready-to-paste MCP client configuration for TaskFlow. Pure functions (the "Connect an agent" page).

export interface Snippet {
  client: string;
  where: string;
  language: "json" | "shell" | "toml";
  text: string;
}

const keyPlaceholder = "tf_…";

export function apiKeySnippets(mcpUrl: string, key = keyPlaceholder): Snippet[] {
  const stdio = { command: "npx", args: ["-y", "taskflow-mcp"], env: { TASKFLOW_API_KEY: key } };
  const http = { url: mcpUrl, headers: { Authorization: `Bearer ${key}` } };
  const json = (value: unknown) => JSON.stringify(value, null, 2);
  return [
    {
      client: "Claude Code",
      where: "a terminal (HTTP, or stdio with the second command)",
      language: "shell",
      text:
        `claude mcp add --transport http taskflow ${mcpUrl} --header "Authorization: Bearer ${key}"\n` +
        `claude mcp add taskflow --env TASKFLOW_API_KEY=${key} -- npx -y taskflow-mcp`,
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
