import { taskflowTools } from "../tools/index.ts";
import { scopeForTool } from "./scopes.ts";

const scopeByTool = new Map(taskflowTools.map((tool) => [tool.name, scopeForTool(tool)]));

/**
 * The scopes a JSON-RPC body (one message or a batch) needs beyond those granted: for each
 * `tools/call` of a tool we offer, the tool's scope. Anything else (initialize, lists, unknown
 * tools, malformed messages) needs no more than the read scope checked at the door, and is left
 * to the SDK to answer.
 */
export function missingScopes(body: unknown, granted: ReadonlySet<string>): string[] {
  const missing = new Set<string>();
  for (const message of Array.isArray(body) ? body : [body]) {
    if (!message || typeof message !== "object") continue;
    const { method, params } = message as { method?: unknown; params?: { name?: unknown } };
    if (method !== "tools/call" || typeof params?.name !== "string") continue;
    const scope = scopeByTool.get(params.name);
    if (scope && !granted.has(scope)) missing.add(scope);
  }
  return [...missing];
}
