import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { AjvJsonSchemaValidator } from "@modelcontextprotocol/sdk/validation/ajv";
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

/** An MCP server bound to one caller: built per request, so replicas keep no session state. */
export function createTaskflowMcpServer(context: ToolContext): McpServer {
  const server = new McpServer(serverInfo, {
    capabilities: { tools: {}, resources: {}, prompts: {}, logging: {} },
    jsonSchemaValidator,
    instructions:
      "TaskFlow: projects and tasks shared by people and agents. Start with the taskflow_workflow prompt, " +
      "then taskflow_list_projects.",
  });
  for (const tool of taskflowTools) tool.register(server, context);
  registerTaskResource(server, context);
  registerWorkflowPrompt(server);
  return server;
}
