import { McpServer } from "@modelcontextprotocol/server";
import { AjvJsonSchemaValidator } from "@modelcontextprotocol/server/validators/ajv";
import { cacheHints } from "./cache-hints.ts";
import { registerWorkflowPrompt } from "./prompts/workflow-prompt.ts";
import { registerTaskResource } from "./resources/task-resource.ts";
import { taskflowTools } from "./tools/index.ts";
import type { ToolContext } from "./tools/tool-kit.ts";

export const serverInfo = { name: "taskflow", version: "1.0.0" };

/**
 * One validator for every per-request server: the SDK otherwise builds a new Ajv instance in each server's
 * constructor, which was a third of the cost of a tool call.
 */
const jsonSchemaValidator = new AjvJsonSchemaValidator();

/**
 * An MCP server bound to one caller: built per request (per connection over stdio), so replicas keep no
 * session state. The same definition serves both protocol eras (2025-11-25 and earlier through
 * `initialize`, 2026-07-28 through `server/discover` and the per-request envelope). No logging capability:
 * 2026-07-28 deprecates it, and nothing here logs to the client.
 */
export function createTaskflowMcpServer(context: ToolContext, options: { listen?: boolean } = {}): McpServer {
  const server = new McpServer(serverInfo, {
    // `subscribe`: a 2026-07-28 client may name resources in `subscriptions/listen` (listen/listens.ts). Never
    // offered to the 2025 era, whose resources/subscribe needs a session this stateless server does not keep.
    capabilities: { tools: {}, resources: options.listen ? { subscribe: true } : {}, prompts: {} },
    jsonSchemaValidator,
    cacheHints,
    // A 2025-era request is never answered `input_required` (ask-and-wait asks a client only when its 2026-07-28
    // envelope declares elicitation): the SDK's shim would need server-to-client requests on a session.
    inputRequired: { legacyShim: false },
    instructions:
      "TaskFlow: projects and tasks shared by people and agents. Start with the taskflow_workflow prompt, " +
      "then taskflow_list_projects.",
  });
  for (const tool of taskflowTools) tool.register(server, context);
  registerTaskResource(server, context);
  registerWorkflowPrompt(server);
  return server;
}
