import type { TaskflowScope } from "@taskflow/core";
import { taskflowTools } from "../tools/index.ts";
import { readScope, scopeForTool } from "./scopes.ts";

/**
 * The scopes an OAuth client asks the SSO for to use this server (metadata, challenges): those its
 * tools need, least first. No tool administers, so `taskflow:manage` is never asked for here.
 */
export const mcpScopes: readonly TaskflowScope[] = [
  ...new Set<TaskflowScope>([readScope, ...taskflowTools.map(scopeForTool)]),
].sort();

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

/**
 * `WWW-Authenticate` for a 401 / 403 (RFC 6750, MCP authorization 2025-11-25): points the client at
 * the metadata and names the scopes to ask for; for `insufficient_scope`, those the refused call
 * needs together with those the token already has, so a step-up asks for both.
 */
export function bearerChallenge(
  resourceUrl: string,
  error?: "invalid_token" | "insufficient_scope",
  options: { scopes?: readonly string[]; description?: string } = {},
): string {
  const parts = [
    ...(error ? [`error="${error}"`] : []),
    `scope="${(options.scopes ?? mcpScopes).join(" ")}"`,
    `resource_metadata="${resourceMetadataUrl(resourceUrl)}"`,
    ...(options.description ? [`error_description="${options.description}"`] : []),
  ];
  return `Bearer ${parts.join(", ")}`;
}
