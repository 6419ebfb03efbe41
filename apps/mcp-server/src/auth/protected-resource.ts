/** The scopes an OAuth client asks the SSO for to use this server. */
export const mcpScopes = ["taskflow:read", "taskflow:write"] as const;

/** RFC 9728: the metadata URL is the resource's, with the well-known segment before its path. */
export function resourceMetadataUrl(resourceUrl: string): string {
  const url = new URL(resourceUrl);
  const path = url.pathname === "/" ? "" : url.pathname;
  return `${url.origin}/.well-known/oauth-protected-resource${path}`;
}

/** OAuth 2.0 Protected Resource Metadata: where a client learns which authorization server to use. */
export function protectedResourceMetadata(resourceUrl: string, issuer: string) {
  return {
    resource: resourceUrl,
    authorization_servers: [issuer],
    scopes_supported: [...mcpScopes],
    bearer_methods_supported: ["header"],
    resource_name: "TaskFlow MCP server",
    resource_documentation: "https://github.com/taskflow/taskflow/tree/main/apps/mcp-server",
  };
}

/** `WWW-Authenticate` for a 401 / 403: points the client at the metadata and the scopes to ask for. */
export function bearerChallenge(resourceUrl: string, error?: "invalid_token" | "insufficient_scope"): string {
  const parts = [
    ...(error ? [`error="${error}"`] : []),
    `resource_metadata="${resourceMetadataUrl(resourceUrl)}"`,
    `scope="${mcpScopes.join(" ")}"`,
  ];
  return `Bearer ${parts.join(", ")}`;
}
