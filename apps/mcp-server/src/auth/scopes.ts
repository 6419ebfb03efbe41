import type { ToolAnnotations } from "@modelcontextprotocol/sdk/types.js";

/** Reading anything through this server (every request needs it). */
export const readScope = "taskflow:read";
/** Changing anything: every tool that is not read-only. */
export const writeScope = "taskflow:write";
/** The scopes an OAuth client asks the SSO for to use this server, in the order they are named. */
export const mcpScopes = [readScope, writeScope] as const;

/** The OAuth scope a tool needs, read from its annotations so a new tool cannot be left out. */
export function scopeForTool(annotations: ToolAnnotations): typeof readScope | typeof writeScope {
  return annotations.readOnlyHint ? readScope : writeScope;
}
